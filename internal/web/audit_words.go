package web

// The audit log's records and actions in words: an entry's action is
// "<record>.<verb>" (audit.Entry), and the page shows both parts from the
// catalogue, falling back to the code with spaces for one not listed here.

// auditEntities are the kinds of record the audit log names.
var auditEntities = []string{"account", "application", "blackout", "booking", "call", "capability", "cluster", "event", "exchange", "facility", "inquiry", "inquiry_expert", "letter", "meeting", "organisation", "person", "posting", "practice", "practice_summary", "registration", "resource", "roadmap_item", "token", "user"}

// auditVerbs are the last parts of the audit actions.
var auditVerbs = []string{"accept", "accepted", "answer", "approve", "assign", "cancel", "close", "confirm", "create", "decline", "declined", "delete", "export", "failed", "handoff", "import", "list", "merge", "paper", "rate", "refused", "reject", "request", "revoke", "schedule", "session", "sign", "spam", "triage", "unmerge", "update", "waitlist"}

// portalKeyFamilies are the message keys the audit page builds from codes.
func portalKeyFamilies() map[string][]string {
	return map[string][]string{"audit.entity.": auditEntities, "audit.verb.": auditVerbs}
}
