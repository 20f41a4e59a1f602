import { useEffect, useState, type FormEvent } from "react";
import { Link, Navigate, useLocation } from "react-router-dom";
import { AlertCircle, CheckCircle2, Info, Loader2 } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { AuthCard, AuthField } from "@/components/AuthCard";
import { useSession } from "@/hooks/useSession";
import { isEmailAddress } from "@/lib/email";
import { supabase } from "@/lib/supabase";

export const DEMO_ACCOUNTS = [
  { email: "demo-admin@example.com", note: "Demo Team's owner" },
  { email: "demo-member@example.com", note: "Demo Team's member" },
  { email: "demo-outsider@example.com", note: "in no team" },
];
export const DEMO_PASSWORD = "demo-password";

export function showDemoAccounts(env: { DEV?: boolean; VITE_SHOW_DEMO_ACCOUNTS?: string } = import.meta.env): boolean {
  return env.DEV === true || env.VITE_SHOW_DEMO_ACCOUNTS === "true";
}

/**
 * What a failed `signInWithPassword` for `address` means for the person (Supabase Auth's error codes:
 * invalid_credentials, email_not_confirmed, over_request_rate_limit, ...). Only a real credential failure says
 * "Incorrect email or password"; any other refusal says it failed without the server's wording. Supabase answers
 * email_not_confirmed only after the password matched, so naming the address there tells nothing new.
 */
export function signInErrorMessage(err: { message?: string; status?: number; code?: string }, address: string): string {
  if (err.code === "invalid_credentials" || (!err.code && /invalid login credentials/i.test(err.message ?? ""))) {
    return "Incorrect email or password.";
  }
  if (err.code === "email_not_confirmed") return `Confirm your e-mail first: we sent a link to ${address}.`;
  if (err.status === 429 || err.code === "over_request_rate_limit") return "Too many attempts. Wait a moment and try again.";
  if (!err.status) return "Could not reach the sign-in service. Check your connection and try again.";
  return "Sign-in failed. Please try again.";
}

/**
 * What the confirmation link's landing says: Supabase Auth's `/verify` redirects here with the session
 * (`#access_token=...&type=signup`) or an error (`#error=access_denied&error_code=otp_expired`) in the fragment. The
 * app does not take that session (supabase.ts: detectSessionInUrl false); it says what happened and the person signs
 * in. null when the fragment is neither.
 */
export function confirmationNotice(hash: string): { ok: boolean; text: string } | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  if (params.get("error_code") === "otp_expired" || params.get("error")) {
    return { ok: false, text: "This confirmation link has expired or was already used. Sign in, or sign up again for a new link." };
  }
  if (params.get("access_token") && (params.get("type") === "signup" || params.get("type") === null)) {
    return { ok: true, text: "Your e-mail address is confirmed. Sign in to continue." };
  }
  return null;
}

export function SignInPage() {
  const { session, loading } = useSession();
  const location = useLocation();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [emailError, setEmailError] = useState<string | null>(null);
  const [notice] = useState(() => confirmationNotice(window.location.hash));

  // the fragment may hold tokens from the link: out of the address bar and the history
  useEffect(() => {
    if (notice) window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
  }, [notice]);

  const from = (location.state as { from?: string } | null)?.from;
  const target = from && from.startsWith("/") && !from.startsWith("//") ? from : "/";

  if (!loading && session) return <Navigate to={target} replace />;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    // A malformed address cannot be an account: say so at the field instead of asking the server.
    if (!isEmailAddress(email)) {
      setEmailError("Enter an email address like name@company.com.");
      document.getElementById("email")?.focus();
      return;
    }
    setEmailError(null);
    setSubmitting(true);
    try {
      const address = email.trim();
      const { error: err } = await supabase.auth.signInWithPassword({ email: address, password });
      if (err) setError(signInErrorMessage(err as { message?: string; status?: number; code?: string }, address));
    } catch {
      setError("Could not reach the sign-in service. Check your connection and try again.");
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <AuthCard
      title="Sign in"
      description="Use your work email and password."
      after={
        showDemoAccounts() && (
          <Alert variant="info" data-testid="demo-accounts">
            <Info />
            <AlertTitle>Demo accounts</AlertTitle>
            <AlertDescription>
              <p className="mb-2">
                Password for all: <code className="font-mono">{DEMO_PASSWORD}</code>
              </p>
              <ul className="flex flex-col gap-1">
                {DEMO_ACCOUNTS.map((a) => (
                  <li key={a.email}>
                    <button
                      type="button"
                      className="text-left underline-offset-2 hover:underline"
                      onClick={() => {
                        setEmail(a.email);
                        setPassword(DEMO_PASSWORD);
                        setError(null);
                        setEmailError(null);
                      }}
                    >
                      <span className="font-mono text-xs">{a.email}</span>
                    </button>{" "}
                    <span className="text-xs">({a.note})</span>
                  </li>
                ))}
              </ul>
            </AlertDescription>
          </Alert>
        )
      }
    >
      <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
        {notice && !error && (
          <Alert variant={notice.ok ? "info" : "destructive"} role="status">
            {notice.ok ? <CheckCircle2 /> : <AlertCircle />}
            <AlertTitle>{notice.text}</AlertTitle>
          </Alert>
        )}
        {error && (
          <Alert variant="destructive">
            <AlertCircle />
            <AlertTitle>{error}</AlertTitle>
          </Alert>
        )}
        <AuthField
          id="email"
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => {
            setEmail(e.target.value);
            setEmailError(null);
          }}
          invalid={!!error}
          error={emailError}
        />
        <AuthField
          id="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          invalid={!!error}
        />
        <Button type="submit" disabled={submitting || !email || !password} className="w-full">
          {submitting && <Loader2 className="animate-spin" aria-hidden="true" />}
          Sign in
        </Button>
        <p className="text-center text-sm text-muted-foreground">
          New here?{" "}
          <Link to="/sign-up" className="font-medium text-foreground underline underline-offset-2">
            Create an account
          </Link>
        </p>
      </form>
    </AuthCard>
  );
}
