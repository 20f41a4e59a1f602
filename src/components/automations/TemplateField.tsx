import { useRef } from "react";
import { Braces } from "lucide-react";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import type { CatalogVariable } from "@/lib/automationTypes";

/** `text` with `token` put in place of the selection [start, end): the new text and where the cursor goes. */
export function insertAt(text: string, token: string, start: number, end: number): { text: string; cursor: number } {
  const s = Math.max(0, Math.min(start, text.length));
  const e = Math.max(s, Math.min(end, text.length));
  return { text: text.slice(0, s) + token + text.slice(e), cursor: s + token.length };
}

/**
 * A template in a textarea with a variable picker: choosing a variable inserts `{{path}}` where the cursor was (or
 * in place of the selection) and puts focus back in the text after it. The variables are the catalogue's for the
 * rule's trigger (GET api/automation-catalog), each with its example value.
 */
export function TemplateField({
  id,
  label,
  value,
  onChange,
  variables,
  error,
  disabled,
  hint,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  variables: CatalogVariable[];
  error?: string | null;
  disabled?: boolean;
  hint?: string;
}) {
  const ref = useRef<HTMLTextAreaElement>(null);
  // where the cursor should go once the picker closes (focus returns to the text, not to the picker's button)
  const cursorAfter = useRef<number | null>(null);

  const insert = (path: string) => {
    const el = ref.current;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    const next = insertAt(value, `{{${path}}}`, start, end);
    cursorAfter.current = next.cursor;
    onChange(next.text);
  };

  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;

  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-end justify-between gap-2">
        <Label htmlFor={id}>{label}</Label>
        {!disabled && variables.length > 0 && (
          <DropdownMenu>
            <DropdownMenuTrigger asChild>
              <Button variant="ghost" size="sm" aria-label={`Insert a variable into ${label}`}>
                <Braces aria-hidden="true" />
                Insert variable
              </Button>
            </DropdownMenuTrigger>
            <DropdownMenuContent
              align="end"
              className="max-h-72 overflow-y-auto"
              onCloseAutoFocus={(event) => {
                const cursor = cursorAfter.current;
                if (cursor === null) return;
                cursorAfter.current = null;
                event.preventDefault();
                ref.current?.focus();
                ref.current?.setSelectionRange(cursor, cursor);
              }}
            >
              {variables.map((v) => (
                <DropdownMenuItem key={v.path} onSelect={() => insert(v.path)} className="flex flex-col items-start gap-0">
                  <span>{v.label}</span>
                  <span className="font-mono text-xs text-muted-foreground">
                    {`{{${v.path}}}`}
                    {v.example && ` · e.g. ${v.example}`}
                  </span>
                </DropdownMenuItem>
              ))}
            </DropdownMenuContent>
          </DropdownMenu>
        )}
      </div>
      <Textarea
        id={id}
        ref={ref}
        value={value}
        disabled={disabled}
        maxLength={5000}
        rows={4}
        className="font-mono text-xs"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
