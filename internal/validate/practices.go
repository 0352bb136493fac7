package validate

// English wording of the practices library's message keys (the keys are
// constants of internal/practices).
func init() {
	for k, v := range map[string]string{
		"error.attachment.type_not_allowed": "is not a type of file that may be attached; allowed: {choices}",
		"error.attachment.content_mismatch": "does not hold what its name says (a {type} file)",
		"error.attachment.zip_bomb":         "unpacks to more than {max} bytes, or to more than it declares: refused as a zip bomb",
		"error.attachment.office_parts":     "is not an office document of its type: the part {part} is missing or wrong",
		"error.practice.summary_too_wide":   "is wider than a summary of a {tlp} entry may be: at most {max}",
		"error.practice.summary_not_needed": "is {tlp}: only an AMBER, AMBER+STRICT or RED entry needs a shareable summary",
		"error.practice.lang_present":       "already has a version in {lang}",
		"error.practice.one_original":       "may have only one original version",
		"error.practice.organisation":       "must be an organisation you belong to or may act for",
		"error.practice.tlp_public":         "must be alliance for a GREEN summary: GREEN is never public",
	} {
		english[k] = v
	}
}
