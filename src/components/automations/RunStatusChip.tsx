import { Badge, type BadgeProps } from "@/components/ui/badge";
import { STEP_STATUS_LABELS, runStatusLabel } from "@/lib/automationText";
import type { RunStatus, StepStatus } from "@/lib/automationTypes";

const RUN_VARIANTS: Record<RunStatus, BadgeProps["variant"]> = {
  queued: "secondary",
  running: "outline",
  retrying: "warning",
  succeeded: "success",
  skipped: "secondary",
  dead: "destructive",
  cancelled: "secondary",
  unknown: "secondary",
};

/** A run's status as a chip; dead runs are red ("Failed"). */
export function RunStatusChip({ status }: { status: RunStatus }) {
  return (
    <Badge variant={RUN_VARIANTS[status]} data-status={status}>
      {runStatusLabel(status)}
    </Badge>
  );
}

const STEP_VARIANTS: Record<StepStatus, BadgeProps["variant"]> = {
  pending: "secondary",
  running: "outline",
  succeeded: "success",
  failed: "destructive",
  skipped: "secondary",
  unknown: "secondary",
};

export function StepStatusChip({ status }: { status: StepStatus }) {
  return (
    <Badge variant={STEP_VARIANTS[status]} data-status={status}>
      {STEP_STATUS_LABELS[status]}
    </Badge>
  );
}
