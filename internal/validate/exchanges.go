package validate

// English wording of the exchanges' message keys (the keys are constants
// of internal/exchanges).
func init() {
	for k, v := range map[string]string{
		"error.exchange.ends_before_start": "ends before it starts",
		"error.exchange.no_approver":       "has nobody to approve its guests: an organisation administrator is needed first",
		"error.exchange.outside_offer":     "must lie within the offer, from {from} to {to}",
		"error.exchange.not_decider":       "is not a side you may decide for",
		"error.exchange.wrong_step":        "does not allow this step yet",
		"error.exchange.not_host_record":   "is not one of the host's facilities offered with the place",
		"error.exchange.not_host_facility": "is not a facility of the host",
	} {
		english[k] = v
	}
}
