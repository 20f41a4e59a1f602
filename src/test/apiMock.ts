import { vi } from "vitest";
import type { Api } from "@/lib/api";

export { ApiError } from "@/lib/apiError";

/** Stand-in for src/lib/api.ts: tests stub the app's one boundary with the back end. */
export const api = {
  listTeams: vi.fn(),
  listIntegrations: vi.fn(),
  disconnectIntegration: vi.fn(),
  startOAuth: vi.fn(),
  sendTestMessage: vi.fn(),
  confirmOAuth: vi.fn(),
  listMembers: vi.fn(),
  getTeamSettings: vi.fn(),
  updateTeamSettings: vi.fn(),
  listLeads: vi.fn(),
  createLead: vi.fn(),
  getLead: vi.fn(),
  updateLead: vi.fn(),
  deleteLead: vi.fn(),
  listMeetings: vi.fn(),
  getMeeting: vi.fn(),
  getMeetingSync: vi.fn(),
  startMeetingSync: vi.fn(),
  changeMemberRole: vi.fn(),
  removeMember: vi.fn(),
  listInvites: vi.fn(),
  inviteMember: vi.fn(),
  revokeInvite: vi.fn(),
  createTeam: vi.fn(),
  // the signed-in person's invitations: none unless a test says otherwise (every team page shows the banner)
  listMyInvitations: vi.fn<Api["listMyInvitations"]>(async () => []),
  acceptInvitation: vi.fn(),
  declineInvitation: vi.fn(),
  // an integration's activity: empty unless a test says otherwise (every connected dialog shows it)
  getIntegrationActivity: vi.fn<Api["getIntegrationActivity"]>(async () => ({ runs: [], deliveries: [], failed: [], waiting: [], form_imports: null, messages: null })),
  retryIntegrationItem: vi.fn(),
  listTasks: vi.fn<Api["listTasks"]>(async () => ({ tasks: [], next_cursor: null })),
  createTask: vi.fn(),
  updateTask: vi.fn(),
  deleteTask: vi.fn(),
  getLeadTimeline: vi.fn<Api["getLeadTimeline"]>(async () => ({ items: [], next_cursor: null })),
  addLeadNote: vi.fn(),
  updateLeadNote: vi.fn(),
  deleteLeadNote: vi.fn(),
  linkMeetingLead: vi.fn(),
  unlinkMeetingLead: vi.fn(),
} satisfies Record<keyof Api, unknown>;

export const request = vi.fn();
export const toApiError = vi.fn();
