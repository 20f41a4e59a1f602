import { Toaster as Sonner, type ToasterProps } from "sonner";

/**
 * shadcn/ui's sonner Toaster (https://ui.shadcn.com/docs/components/sonner) without next-themes: the app has one
 * light theme. Loaded by components/ui/sonner.tsx on the first `toast()` from lib/toast.ts.
 */
export function Toaster(props: ToasterProps) {
  return (
    <Sonner
      theme="light"
      position="bottom-right"
      closeButton
      className="toaster group"
      style={
        {
          "--normal-bg": "var(--popover, #fff)",
          "--normal-text": "var(--popover-foreground, #0a0a0a)",
          "--normal-border": "var(--border, #e5e5e5)",
        } as React.CSSProperties
      }
      {...props}
    />
  );
}
