-- A call's status comes from its dates at the time of asking (deadline,
-- Brussels time); what the store keeps besides the deadline is the day
-- the call opens, when known, and the status the portal gave at the last
-- import, which says a call is forthcoming when no opening day is known.
ALTER TABLE calls ADD COLUMN opens TEXT NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN portal_status TEXT NOT NULL DEFAULT '';
