import { useState, type FormEvent } from "react";
import { Link, Navigate } from "react-router-dom";
import { AlertCircle, Loader2, MailCheck } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { AuthCard, AuthField } from "@/components/AuthCard";
import { useSession } from "@/hooks/useSession";
import { isEmailAddress } from "@/lib/email";
import { supabase } from "@/lib/supabase";

/** Supabase Auth's default minimum (auth.password.min_length 6); the server has the last word (weak_password). */
export const MIN_PASSWORD_LENGTH = 6;

/**
 * What a refused `signUp` means for the person (Supabase Auth's error codes: weak_password, over_email_send_rate_limit,
 * email_address_invalid, signup_disabled, ...). With "Confirm email" on, an address that already has an account gets
 * the same answer as a new one (no enumeration), so "already registered" is never said here.
 */
export function signUpErrorMessage(err: { message?: string; status?: number; code?: string }): string {
  if (err.code === "weak_password") return `Choose a longer password: at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (err.code === "over_email_send_rate_limit" || err.status === 429) {
    return "We just sent a confirmation link to this address. Wait a minute before asking for another.";
  }
  if (err.code === "email_address_invalid" || err.code === "validation_failed") return "Enter an email address like name@company.com.";
  if (err.code === "signup_disabled") return "New accounts cannot be created here. Ask your team's admin.";
  if (!err.status) return "Could not reach the sign-up service. Check your connection and try again.";
  return "Sign-up failed. Please try again.";
}

/**
 * `/sign-up`: a new account (e-mail, password, name). With "Confirm email" on (hosted Supabase's default and the local
 * stack's), Supabase answers without a session and mails a link; the page says to open it, then sign in, where the
 * team's invitation waits (docs/security.md, "Invites are accepted by the invitee").
 */
export function SignUpPage() {
  const { session, loading } = useSession();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<{ field: "email" | "password"; message: string } | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);

  if (!loading && session) return <Navigate to="/" replace />;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!isEmailAddress(email)) {
      setFieldError({ field: "email", message: "Enter an email address like name@company.com." });
      document.getElementById("email")?.focus();
      return;
    }
    if (password.length < MIN_PASSWORD_LENGTH) {
      setFieldError({ field: "password", message: `At least ${MIN_PASSWORD_LENGTH} characters.` });
      document.getElementById("password")?.focus();
      return;
    }
    setFieldError(null);
    setSubmitting(true);
    try {
      const address = email.trim();
      const { data, error: err } = await supabase.auth.signUp({
        email: address,
        password,
        options: {
          data: name.trim() ? { full_name: name.trim() } : {},
          // the link lands on the sign-in page, which says the address is confirmed
          emailRedirectTo: `${window.location.origin}/sign-in`,
        },
      });
      if (err) setError(signUpErrorMessage(err as { message?: string; status?: number; code?: string }));
      else if (!data.session) setSentTo(address);
    } catch {
      setError("Could not reach the sign-up service. Check your connection and try again.");
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <AuthCard
      title={sentTo ? "Check your inbox" : "Create your account"}
      description={sentTo ? "One more step before you can sign in." : "If a team invited you, use the address the invitation was sent to."}
    >
      {sentTo ? (
        <div className="flex flex-col gap-4">
          <Alert variant="info" role="status">
            <MailCheck />
            <AlertTitle>We sent a confirmation link to {sentTo}</AlertTitle>
            <AlertDescription>
              Open it to confirm your address, then sign in. Your team's invitation waits for you there.
            </AlertDescription>
          </Alert>
          <Button asChild variant="outline" className="w-full">
            <Link to="/sign-in">Go to sign in</Link>
          </Button>
        </div>
      ) : (
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          {error && (
            <Alert variant="destructive">
              <AlertCircle />
              <AlertTitle>{error}</AlertTitle>
            </Alert>
          )}
          <AuthField id="name" label="Your name" autoComplete="name" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
          <AuthField
            id="email"
            label="Email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => {
              setEmail(e.target.value);
              setFieldError(null);
            }}
            error={fieldError?.field === "email" ? fieldError.message : null}
          />
          <AuthField
            id="password"
            label="Password"
            type="password"
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => {
              setPassword(e.target.value);
              setFieldError(null);
            }}
            error={fieldError?.field === "password" ? fieldError.message : null}
            hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
          />
          <Button type="submit" disabled={submitting || !email || !password} className="w-full">
            {submitting && <Loader2 className="animate-spin" aria-hidden="true" />}
            Create account
          </Button>
          <p className="text-center text-sm text-muted-foreground">
            Already have an account?{" "}
            <Link to="/sign-in" className="font-medium text-foreground underline underline-offset-2">
              Sign in
            </Link>
          </p>
        </form>
      )}
    </AuthCard>
  );
}
