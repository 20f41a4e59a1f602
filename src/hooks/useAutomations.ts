import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { automationsApi, type RunsQuery } from "@/lib/automationsApi";
import type { Rule, RuleBody, RuleSummary, TestInput } from "@/lib/automationTypes";
import { liveQueryOptions } from "./useLiveRefresh";

/** The automation pages' server state: one query per resource, mutations that refresh what they change. */

const keys = {
  all: (teamId: string) => ["automations", teamId] as const,
  rules: (teamId: string) => ["automations", teamId, "rules"] as const,
  rule: (teamId: string, ruleId: string) => ["automations", teamId, "rule", ruleId] as const,
  runs: (teamId: string, ruleId: string | null, status: string) => ["automations", teamId, "runs", ruleId, status] as const,
  run: (teamId: string, runId: string) => ["automations", teamId, "run", runId] as const,
  version: (teamId: string, ruleId: string, version: number) => ["automations", teamId, "version", ruleId, version] as const,
  endpoints: (teamId: string) => ["automations", teamId, "endpoints"] as const,
};

export const automationKeys = keys;

/** GET api/automation-catalog: static, read once a session. */
export function useAutomationCatalog() {
  return useQuery({ queryKey: ["automation-catalog"], queryFn: automationsApi.getCatalog, staleTime: Infinity });
}

/** The team's rules with last run and 7-day counts; re-read while visible (a run's outcome shows up by itself). */
export function useAutomationRules(teamId: string) {
  return useQuery({ queryKey: keys.rules(teamId), queryFn: () => automationsApi.listRules(teamId), ...liveQueryOptions });
}

export function useAutomationRule(teamId: string, ruleId: string | undefined) {
  return useQuery({
    queryKey: keys.rule(teamId, ruleId ?? ""),
    queryFn: () => automationsApi.getRule(teamId, ruleId!),
    enabled: !!ruleId,
  });
}

/** Pages of runs, newest first: one rule's (`ruleId`) or the team's (null), optionally of one status. */
export function useAutomationRuns(teamId: string, ruleId: string | null, status: RunsQuery["status"] = "") {
  return useInfiniteQuery({
    queryKey: keys.runs(teamId, ruleId, status ?? ""),
    queryFn: ({ pageParam }) =>
      ruleId
        ? automationsApi.listRuleRuns(teamId, ruleId, { status, cursor: pageParam })
        : automationsApi.listRuns(teamId, { status, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    placeholderData: keepPreviousData,
    ...liveQueryOptions,
  });
}

export function useAutomationRun(teamId: string, runId: string) {
  return useQuery({ queryKey: keys.run(teamId, runId), queryFn: () => automationsApi.getRun(teamId, runId), ...liveQueryOptions });
}

/** One published version of a rule: immutable once published, so read once. */
export function useRuleVersion(teamId: string, ruleId: string, version: number) {
  return useQuery({
    queryKey: keys.version(teamId, ruleId, version),
    queryFn: () => automationsApi.getVersion(teamId, ruleId, version),
    enabled: !!ruleId && Number.isInteger(version) && version > 0,
    staleTime: Infinity,
  });
}

export function useAutomationEndpoints(teamId: string) {
  return useQuery({ queryKey: keys.endpoints(teamId), queryFn: () => automationsApi.listEndpoints(teamId) });
}

/** Rule writes (admins). Each refreshes the team's automation data when it settles. */
export function useRuleMutations(teamId: string) {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: keys.all(teamId) });
  const store = (rule: Rule) => {
    qc.setQueryData(keys.rule(teamId, rule.id), (old: { rule: Rule; versions: unknown[] } | undefined) =>
      old ? { ...old, rule } : { rule, versions: [] },
    );
    // the list shows it at once (a list read before the save would show the starters until its refetch lands)
    qc.setQueryData(keys.rules(teamId), (old: RuleSummary[] | undefined) =>
      old ? (old.some((r) => r.id === rule.id) ? old.map((r) => (r.id === rule.id ? { ...r, ...rule } : r)) : [...old, rule]) : old,
    );
  };
  return {
    create: useMutation({
      mutationFn: (body: RuleBody) => automationsApi.createRule(teamId, body),
      onSuccess: store,
      onSettled: refresh,
    }),
    update: useMutation({
      mutationFn: ({ ruleId, patch }: { ruleId: string; patch: Partial<RuleBody> }) =>
        automationsApi.updateRule(teamId, ruleId, patch),
      onSuccess: store,
      onSettled: refresh,
    }),
    remove: useMutation({
      mutationFn: (ruleId: string) => automationsApi.deleteRule(teamId, ruleId),
      onSettled: refresh,
    }),
  };
}

export function useTestRule(teamId: string, ruleId: string) {
  return useMutation({ mutationFn: (input: TestInput) => automationsApi.testRule(teamId, ruleId, input) });
}

export function useRunMutations(teamId: string) {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: keys.all(teamId) });
  return {
    retry: useMutation({ mutationFn: (runId: string) => automationsApi.retryRun(teamId, runId), onSettled: refresh }),
    rerun: useMutation({ mutationFn: (runId: string) => automationsApi.rerunRun(teamId, runId), onSettled: refresh }),
  };
}

export function useEndpointMutations(teamId: string) {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: keys.endpoints(teamId) });
  return {
    create: useMutation({
      mutationFn: (input: { name: string; url: string }) => automationsApi.createEndpoint(teamId, input),
      onSettled: refresh,
    }),
    remove: useMutation({
      mutationFn: (endpointId: string) => automationsApi.deleteEndpoint(teamId, endpointId),
      onSettled: refresh,
    }),
  };
}
