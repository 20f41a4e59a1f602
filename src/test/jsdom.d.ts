// jsdom ships no types and @types/jsdom is not installed; the callback-page test needs only this much.
declare module "jsdom" {
  export class JSDOM {
    constructor(
      html: string,
      options?: {
        url?: string;
        runScripts?: "dangerously" | "outside-only";
        pretendToBeVisual?: boolean;
        beforeParse?: (window: Window & typeof globalThis) => void;
      },
    );
    readonly window: Window & typeof globalThis;
  }
}
