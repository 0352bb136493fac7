package governance

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Languages a letter's text may be given in.
var Languages = []string{"en", "nl", "fr", "de", "fi", "da", "et", "es", "it", "pl", "pt", "sv", "lt", "lv", "el", "hr", "cs", "sk", "sl", "hu", "ro", "bg"}

// LetterText is a letter version in one language.
type LetterText struct {
	Lang string `json:"lang"`
	Text string `json:"text"`
}

// LetterVersion is one version of the Letter of Commitment, with its
// language versions and its signatures.
type LetterVersion struct {
	ID          string       `json:"id"`
	Number      int          `json:"number"`
	Title       string       `json:"title"`
	PublishedOn string       `json:"published_on"`
	Texts       []LetterText `json:"texts"`
	Signatures  []Signature  `json:"signatures"`
	CreatedAt   time.Time    `json:"created_at"`
}

// Signature is a cluster's signature of a letter version: signed in
// escnet by one of its managers, or recorded from paper.
type Signature struct {
	VersionID   string    `json:"version_id"`
	ClusterID   string    `json:"cluster_id"`
	ClusterName string    `json:"cluster_name"`
	SignerName  string    `json:"signer_name"`
	SignerID    string    `json:"signer_user_id,omitempty"`
	SignedOn    string    `json:"signed_on"`
	Place       string    `json:"place,omitempty"`
	Paper       bool      `json:"paper"`
	ScanRef     string    `json:"scan_reference,omitempty"`
	RecordedBy  string    `json:"recorded_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// LetterStore reads and writes the letter; it checks no permission.
type LetterStore interface {
	CreateLetterVersion(ctx context.Context, v *LetterVersion) error
	ListLetterVersions(ctx context.Context) ([]LetterVersion, error)
	GetLetterVersion(ctx context.Context, id string) (LetterVersion, error)
	// CreateSignature stores sig and audits it as action (letter.sign or
	// letter.paper); a second signature of the version by the cluster is a
	// store.ConflictError on cluster_id.
	CreateSignature(ctx context.Context, sig *Signature, action string) error
}

func checkDate(errs *validate.Errors, field, v string) {
	if v == "" {
		errs.Add(field, validate.Required)
	} else if _, err := time.Parse(time.DateOnly, v); err != nil {
		errs.Add(field, validate.InvalidDate)
	}
}

// PublishLetter stores a new version of the letter (alliance
// administrators only); its number follows the last one.
func (s *Service) PublishLetter(ctx context.Context, v *LetterVersion) error {
	if !mayDecide(access.ViewerFrom(ctx)) {
		return store.ErrForbidden
	}
	var errs validate.Errors
	v.Title = strings.TrimSpace(v.Title)
	errs.Text("title", v.Title, true, 300)
	checkDate(&errs, "published_on", v.PublishedOn)
	if len(v.Texts) == 0 {
		errs.Add("texts", validate.Required)
	}
	seen := map[string]bool{}
	for i := range v.Texts {
		t := &v.Texts[i]
		field := fmt.Sprintf("texts[%d]", i)
		t.Lang, t.Text = strings.ToLower(strings.TrimSpace(t.Lang)), strings.TrimSpace(t.Text)
		errs.Choice(field+".lang", t.Lang, true, Languages...)
		if seen[t.Lang] {
			errs.Add(field+".lang", validate.Duplicate)
		}
		seen[t.Lang] = true
		errs.Text(field+".text", t.Text, true, 50000)
	}
	if err := errs.Err(); err != nil {
		return err
	}
	v.Signatures = []Signature{}
	return s.letters.CreateLetterVersion(ctx, v)
}

// Letters returns every version of the letter with its signatures; the
// letter and who signed it are public.
func (s *Service) Letters(ctx context.Context) ([]LetterVersion, error) {
	return s.letters.ListLetterVersions(ctx)
}

// Letter returns one version.
func (s *Service) Letter(ctx context.Context, id string) (LetterVersion, error) {
	return s.letters.GetLetterVersion(ctx, id)
}

// SignInput is a signature as given. Confirm must be set: signing is a
// deliberate step.
type SignInput struct {
	ClusterID  string `json:"cluster_id"`
	SignerName string `json:"signer_name"`
	Place      string `json:"place"`
	Confirm    bool   `json:"confirm"`
	// Paper records a signature made on paper, on SignedOn, with a
	// reference to its scan.
	Paper    bool   `json:"paper"`
	SignedOn string `json:"signed_on"`
	ScanRef  string `json:"scan_reference"`
}

// mayManage reports whether v manages cluster c.
func mayManage(v access.Viewer, c string) bool {
	return v.WriteAllowed && slices.Contains(v.ManagedClusters, c)
}

// Sign signs version versionID for a cluster: a manager of that cluster
// signs today; a manager or the alliance administrator records a paper
// signature. Signing for a cluster one does not manage is forbidden; a
// second signature of the same version is a conflict.
func (s *Service) Sign(ctx context.Context, versionID string, in SignInput) (Signature, error) {
	v := access.ViewerFrom(ctx)
	ver, err := s.letters.GetLetterVersion(ctx, versionID)
	if err != nil {
		return Signature{}, err
	}
	in.ClusterID = strings.TrimSpace(in.ClusterID)
	allowed := mayManage(v, in.ClusterID) || (in.Paper && mayDecide(v))
	if v.Anonymous() || in.ClusterID == "" {
		allowed = false
	}
	if !allowed {
		return Signature{}, store.ErrForbidden
	}
	var errs validate.Errors
	sig := Signature{VersionID: ver.ID, ClusterID: in.ClusterID, SignerName: strings.TrimSpace(in.SignerName), Place: strings.TrimSpace(in.Place),
		Paper: in.Paper, RecordedBy: author(v)}
	errs.Text("signer_name", sig.SignerName, true, 200)
	errs.Text("place", sig.Place, false, 200)
	action := "letter.sign"
	if in.Paper {
		action = "letter.paper"
		sig.SignedOn, sig.ScanRef = strings.TrimSpace(in.SignedOn), strings.TrimSpace(in.ScanRef)
		checkDate(&errs, "signed_on", sig.SignedOn)
		errs.Text("scan_reference", sig.ScanRef, true, 500)
	} else {
		sig.SignerID, sig.SignedOn = v.UserID, s.cfg.Now().Format(time.DateOnly)
		if !in.Confirm {
			errs.Add("confirm", validate.Required)
		}
	}
	for _, existing := range ver.Signatures {
		if existing.ClusterID == sig.ClusterID {
			errs.Add("cluster_id", validate.Duplicate)
		}
	}
	if err := errs.Err(); err != nil {
		return sig, err
	}
	return sig, s.letters.CreateSignature(ctx, &sig, action)
}

// ClusterStatus is a cluster's standing towards the letter: the newest
// version it signed, and whether that is the newest version.
type ClusterStatus struct {
	Signed  *Signature `json:"signed,omitempty"`
	Number  int        `json:"number,omitempty"`
	Current bool       `json:"current"`
}

// StatusOf returns the status of cluster c in the letters (newest
// version last in the list).
func StatusOf(letters []LetterVersion, c string) ClusterStatus {
	for i := len(letters) - 1; i >= 0; i-- {
		for _, sig := range letters[i].Signatures {
			if sig.ClusterID == c {
				return ClusterStatus{Signed: &sig, Number: letters[i].Number, Current: i == len(letters)-1}
			}
		}
	}
	return ClusterStatus{}
}
