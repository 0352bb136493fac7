package accounts

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// NewSecret returns a random URL-safe secret of 32 bytes and its SHA-256
// hash; only the hash is stored.
func NewSecret() (secret, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret)
}

// HashSecret returns the stored form of a secret.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// SameHash compares two stored hashes in constant time.
func SameHash(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// tokenPrefix marks escnet API tokens so that secret scanners and people
// recognise them.
const tokenPrefix = "esc_"

// NewAPIToken returns a token "esc_<id>_<secret>" for the token record id,
// and the hash of its secret part.
func NewAPIToken(id string) (token, hash string) {
	secret, hash := NewSecret()
	return tokenPrefix + strings.ReplaceAll(id, "-", "") + "_" + secret, hash
}

// ParseAPIToken splits a token into its record id (without dashes) and
// secret.
func ParseAPIToken(token string) (compactID, secret string, ok bool) {
	rest, ok := strings.CutPrefix(token, tokenPrefix)
	if !ok {
		return "", "", false
	}
	compactID, secret, ok = strings.Cut(rest, "_")
	if !ok || len(compactID) != 32 || len(secret) < 20 {
		return "", "", false
	}
	return compactID, secret, true
}

// ExpandID turns a 32-hex-digit id back into the dashed UUID form.
func ExpandID(compact string) string {
	if len(compact) != 32 {
		return ""
	}
	return compact[0:8] + "-" + compact[8:12] + "-" + compact[12:16] + "-" + compact[16:20] + "-" + compact[20:32]
}
