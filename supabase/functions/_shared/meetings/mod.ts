// Provider-neutral meetings: the shapes (types.ts), storeMeeting(s) (store.ts), storeMeetingContent (content.ts).
export * from "./types.ts";
export { storeMeeting, storeMeetings } from "./store.ts";
export { CONTENT_NOT_READY_ATTEMPTS, recordContentFailure, storeMeetingContent } from "./content.ts";
export { type ContentReason, PUSHED_TRANSCRIPT_WAIT_HOURS, reportedContentColumns } from "./content-deadline.ts";
