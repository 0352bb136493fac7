package validate

// Message keys of the governance rules (clusters joining the alliance).
const (
	SMEsOverCompanies = "error.gov.smes_over_companies"
	TotalMismatch     = "error.gov.total_mismatch"
	Negative          = "error.gov.negative"
	MinOverMax        = "error.gov.min_over_max"
	TooManyHelices    = "error.gov.too_many_helices"
	GovTransition     = "error.gov.transition"
)

func init() {
	for k, v := range map[string]string{
		SMEsOverCompanies: "is more than the companies ({companies}); SMEs are counted among the companies",
		TotalMismatch:     "is {total}, but the members by helix add up to {sum}",
		Negative:          "must not be negative",
		MinOverMax:        "has a minimum ({min}) above its maximum ({max})",
		TooManyHelices:    "cannot be more than 4: there are four helices",
		GovTransition:     "does not allow this step in the application's present state",
	} {
		english[k] = v
	}
}

func init() {
	english["error.gov.outside_action"] = "is outside the dates of its action ({starts} to {ends})"
}

func init() {
	english["error.gov.milestone_outside"] = "would leave the milestone \"{title}\" ({due}) outside the action's dates"
}
