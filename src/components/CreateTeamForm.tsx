import { useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { Loader2, Plus } from "lucide-react";
import { toast } from "@/lib/toast";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useCreateTeam } from "@/hooks/useTeamMembers";
import { errorMessage } from "@/lib/errorMessages";
import { integrationsPath, storeTeamId } from "@/lib/teamSelection";

/** "Create a team" (POST api/teams): the creator becomes its owner and lands in it. Name: 1-100 characters. */
export function CreateTeamForm() {
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const create = useCreateTeam();
  const navigate = useNavigate();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setError("Give the team a name.");
      inputRef.current?.focus();
      return;
    }
    setError(null);
    create.mutate(trimmed, {
      onSuccess: (team) => {
        toast.success(`${team.name} created. You're its owner.`);
        storeTeamId(team.id);
        navigate(integrationsPath(team.id));
      },
      onError: (e) => {
        setError(errorMessage(e));
        inputRef.current?.focus();
      },
    });
  };

  return (
    <form onSubmit={submit} noValidate className="mt-6 w-full text-left" aria-labelledby="create-team-heading">
      <h2 id="create-team-heading" className="text-sm font-semibold text-foreground">
        Create a team
      </h2>
      <Label htmlFor="team-name" className="mt-2 block">
        Team name
      </Label>
      <div className="mt-1 flex flex-wrap gap-2">
        <Input
          id="team-name"
          ref={inputRef}
          className="min-w-0 flex-1 basis-48"
          maxLength={100}
          autoComplete="organization"
          placeholder="Acme sales"
          value={name}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "create-team-error" : undefined}
          onChange={(e) => setName(e.target.value)}
        />
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? <Loader2 className="animate-spin" aria-hidden="true" /> : <Plus aria-hidden="true" />}
          Create team
        </Button>
      </div>
      {error && (
        <p id="create-team-error" role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      )}
    </form>
  );
}
