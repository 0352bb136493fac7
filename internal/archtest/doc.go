// Package archtest holds tests of the code's shape that span packages:
// the size rules (no file over 700 lines, no function over 100 lines,
// outside tests and generated code).
package archtest
