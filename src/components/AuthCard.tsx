import type { ComponentProps, ReactNode } from "react";
import { Building2 } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/**
 * The frame of the signed-out pages (sign-in, sign-up): the brand above one card with a title, a description and
 * the page's content; `after` goes below the card (the demo accounts).
 */
export function AuthCard({
  title,
  description,
  children,
  after,
}: {
  title: string;
  description: string;
  children: ReactNode;
  after?: ReactNode;
}) {
  return (
    <div className="flex min-h-screen items-center justify-center bg-muted/40 px-4 py-12">
      <div className="flex w-full max-w-sm flex-col gap-6">
        <div className="flex items-center justify-center gap-2">
          <div className="flex size-8 items-center justify-center rounded-md bg-primary text-primary-foreground">
            <Building2 className="size-4" aria-hidden="true" />
          </div>
          <span className="text-base font-semibold">Team CRM</span>
        </div>
        <Card>
          <CardHeader>
            <CardTitle className="text-lg">{title}</CardTitle>
            <CardDescription>{description}</CardDescription>
          </CardHeader>
          <CardContent>{children}</CardContent>
        </Card>
        {after}
      </div>
    </div>
  );
}

/**
 * A labelled input of the signed-out forms, with its error (`<id>-error`, red) or else its hint (`<id>-hint`) under
 * it, tied to the input by aria-describedby. `invalid` marks the input without an own error (the form's alert).
 */
export function AuthField({
  id,
  label,
  error,
  hint,
  invalid,
  ...input
}: {
  id: string;
  label: string;
  error?: string | null;
  hint?: string;
  invalid?: boolean;
} & Omit<ComponentProps<typeof Input>, "id">) {
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className="flex flex-col gap-2">
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} aria-invalid={invalid || !!error} aria-describedby={describedBy} {...input} />
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {error}
        </p>
      ) : (
        hint && (
          <p id={`${id}-hint`} className="text-xs text-muted-foreground">
            {hint}
          </p>
        )
      )}
    </div>
  );
}
