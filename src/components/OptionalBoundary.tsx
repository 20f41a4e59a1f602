import { Component, type ReactNode } from "react";

/**
 * For what a page can do without (the invitations banner): if it fails to render, or its lazily loaded code fails to
 * load, it shows nothing instead of taking the page or the whole app down (review 10z #1: a blocked banner chunk
 * replaced every team page with the app-wide error). React logs the error to the console.
 */
export class OptionalBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  render() {
    return this.state.failed ? null : this.props.children;
  }
}
