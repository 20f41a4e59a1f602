import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";
import { LEAD_STAGES, type LeadStage } from "@/lib/types";

export const STAGE_LABELS: Record<LeadStage, string> = {
  new: "New",
  contacted: "Contacted",
  qualified: "Qualified",
  proposal: "Proposal",
  won: "Won",
  lost: "Lost",
};

const STAGE_STYLES: Record<LeadStage, { badge: string; dot: string }> = {
  new: { badge: "border-sky-200 bg-sky-50 text-sky-800", dot: "bg-sky-500" },
  contacted: { badge: "border-indigo-200 bg-indigo-50 text-indigo-800", dot: "bg-indigo-500" },
  qualified: { badge: "border-violet-200 bg-violet-50 text-violet-800", dot: "bg-violet-500" },
  proposal: { badge: "border-amber-200 bg-amber-50 text-amber-800", dot: "bg-amber-500" },
  won: { badge: "border-emerald-200 bg-emerald-50 text-emerald-800", dot: "bg-emerald-500" },
  lost: { badge: "border-zinc-200 bg-zinc-100 text-zinc-600", dot: "bg-zinc-400" },
};

export function isLeadStage(s: string | null | undefined): s is LeadStage {
  return (LEAD_STAGES as readonly string[]).includes(s ?? "");
}

export function stageLabel(stage: string | null | undefined): string {
  return isLeadStage(stage) ? STAGE_LABELS[stage] : stage || "—";
}

export function LeadStageBadge({ stage, className }: { stage: string; className?: string }) {
  const style = isLeadStage(stage) ? STAGE_STYLES[stage] : STAGE_STYLES.lost;
  return (
    <Badge variant="outline" className={cn(style.badge, className)} data-stage={stage}>
      <span className={cn("size-1.5 rounded-full", style.dot)} aria-hidden="true" />
      {stageLabel(stage)}
    </Badge>
  );
}
