// A lead's stages in pipeline order: the leads.stage check constraint (migration 20261125000200) allows exactly
// these. One list for the API (validation, the stage sort) and the automations (conditions, set_stage's "never
// backwards").
export const LEAD_STAGES = ["new", "contacted", "qualified", "proposal", "won", "lost"] as const;
export type LeadStage = (typeof LEAD_STAGES)[number];
