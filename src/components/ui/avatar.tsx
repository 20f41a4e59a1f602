import * as React from "react";
import { initials } from "@/lib/initials";
import { cn } from "@/lib/utils";

const PALETTE = [
  "bg-sky-100 text-sky-800",
  "bg-emerald-100 text-emerald-800",
  "bg-amber-100 text-amber-800",
  "bg-rose-100 text-rose-800",
  "bg-violet-100 text-violet-800",
  "bg-teal-100 text-teal-800",
  "bg-orange-100 text-orange-800",
  "bg-indigo-100 text-indigo-800",
];

function colorFor(key: string): string {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0;
  return PALETTE[Math.abs(h) % PALETTE.length];
}

export interface AvatarProps extends React.HTMLAttributes<HTMLSpanElement> {
  name: string | null | undefined;
  /** The person's e-mail: the initials come from it when the name has no letters. */
  email?: string | null;
  /** Keeps the color stable per person (an id or the e-mail); defaults to the e-mail, then the name. */
  colorKey?: string | null;
  size?: "sm" | "md" | "lg";
}

/** Initials in a colored circle; the color is stable per person. */
export function Avatar({ name, email, colorKey, size = "md", className, ...props }: AvatarProps) {
  const key = colorKey || email || name || "?";
  return (
    <span
      className={cn(
        "inline-flex shrink-0 select-none items-center justify-center rounded-full font-semibold ring-2 ring-background",
        size === "sm" && "size-6 text-[10px]",
        size === "md" && "size-7 text-[11px]",
        size === "lg" && "size-10 text-sm",
        colorFor(key),
        className,
      )}
      aria-hidden="true"
      {...props}
    >
      {initials(name, email)}
    </span>
  );
}
