-- Overdue roadmap items (issue 15, item 2): the reminders sent to the
-- owners, one per item and date (an item whose date moves is reminded of
-- its new date once more).
CREATE TABLE governance_roadmap_reminders (
    item_id TEXT NOT NULL REFERENCES governance_roadmap_items (id) ON DELETE CASCADE,
    date    TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (item_id, date)
);
