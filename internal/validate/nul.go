package validate

// NulByte is the message key of a text that holds a NUL character: no
// field may (PostgreSQL cannot store one), so the web layer refuses it
// wherever input arrives.
const NulByte = "error.nul_byte"

func init() { english[NulByte] = "holds a NUL character, which text may not contain" }
