package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/csvexport"
	"github.com/escnet/escnet/internal/inquiries"
	"github.com/escnet/escnet/internal/validate"
)

// MailTextIn renders e-mail message keys in a given language, for the
// contact point, which writes to a requester in the language they chose.
func MailTextIn() (func(lang, key string, args ...any) string, error) {
	cat, err := loadCatalog()
	if err != nil {
		return nil, err
	}
	return func(lang, key string, args ...any) string { return cat.localizer(lang).T(key, args...) }, nil
}

// Inquiries returns the contact point's service (serve runs its Tick).
func (s *Server) Inquiries() *inquiries.Service { return s.inq }

// inquirySignedIn refuses anonymous visitors: the desk's and the experts' routes
// need an account.
func inquirySignedIn(ctx context.Context) error {
	if access.ViewerFrom(ctx).Anonymous() {
		return errUnauthorized("Sign in to work on questions.")
	}
	return nil
}

// throttled turns the throttling refusal into 429.
func throttled(err error) error {
	var ve validate.Errors
	if errors.As(err, &ve) {
		for _, fe := range ve {
			if fe.Code == inquiries.ErrThrottled {
				return &httpError{status: http.StatusTooManyRequests, title: "Too many requests",
					detail: "Too many questions from this address or e-mail; try again later.", fields: ve}
			}
		}
	}
	return err
}

// askAnswer is what the API tells the asker: the case number; the link
// to follow it goes to the e-mail address, which proves it is theirs.
type askAnswer struct {
	Number int    `json:"number"`
	Status string `json:"status"`
}

func (s *Server) apiAsk(w http.ResponseWriter, r *http.Request) error {
	var in inquiries.AskInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	in.Address = clientIP(r)
	q, err := s.inq.Ask(r.Context(), in)
	if err != nil {
		return throttled(err)
	}
	return writeJSON(w, http.StatusCreated, askAnswer{Number: q.Number, Status: "received"})
}

func (s *Server) apiListInquiries(w http.ResponseWriter, r *http.Request) error {
	if err := inquirySignedIn(r.Context()); err != nil {
		return err
	}
	limit, errs := checkQuery(r.URL.Query(), "state", "limit")
	if len(errs) > 0 {
		return errBadRequest("Invalid query parameters.", errs)
	}
	items, err := s.inq.List(r.Context(), inquiries.Filter{State: r.URL.Query().Get("state"), Limit: limit})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (s *Server) apiGetInquiry(w http.ResponseWriter, r *http.Request) error {
	if err := inquirySignedIn(r.Context()); err != nil {
		return err
	}
	v, err := s.inq.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	setETag(w, v.Inquiry.Version)
	return writeJSON(w, http.StatusOK, v)
}

func (s *Server) apiInquirySuggestions(w http.ResponseWriter, r *http.Request) error {
	if err := inquirySignedIn(r.Context()); err != nil {
		return err
	}
	sug, err := s.inq.Suggest(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, sug)
}

// StepInput is the body of a step on a case.
type StepInput struct {
	Version      int      `json:"version"`
	Capabilities []string `json:"capabilities"`
	Experts      []string `json:"experts"`
	Cluster      string   `json:"cluster"`
	Into         string   `json:"into"`
	Reason       string   `json:"reason"`
}

// step runs one named step of a case.
func (s *Server) step(ctx context.Context, id, name string, in StepInput) (inquiries.Inquiry, error) {
	svc := s.inq
	switch name {
	case "triage":
		return svc.Triage(ctx, id, in.Version, in.Capabilities)
	case "assign":
		return svc.Assign(ctx, id, in.Version, in.Experts)
	case "accept":
		return svc.Respond(ctx, id, true, in.Reason)
	case "decline":
		return svc.Respond(ctx, id, false, in.Reason)
	case "handoff":
		return svc.Handoff(ctx, id, in.Version, in.Cluster)
	case "handoff-accept":
		return svc.TakeHandoff(ctx, id, true)
	case "handoff-return":
		return svc.TakeHandoff(ctx, id, false)
	case "merge":
		return svc.Merge(ctx, id, in.Into)
	case "spam":
		return svc.Spam(ctx, id)
	case "close":
		return svc.Close(ctx, id)
	case "reopen":
		return svc.Reopen(ctx, id)
	}
	return inquiries.Inquiry{}, &httpError{status: http.StatusNotFound, title: "Not found", detail: "No such step."}
}

func (s *Server) apiInquiryStep(w http.ResponseWriter, r *http.Request) error {
	if err := inquirySignedIn(r.Context()); err != nil {
		return err
	}
	var in StepInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if v, err := ifMatchVersion(r); err != nil {
		return err
	} else if v > 0 {
		in.Version = v
	}
	q, err := s.step(r.Context(), r.PathValue("id"), r.PathValue("step"), in)
	if err != nil {
		return err
	}
	setETag(w, q.Version)
	return writeJSON(w, http.StatusOK, q)
}

// maxUpload bounds a multipart message: its attachments and text.
func (s *Server) maxUpload() int64 { return 4*s.inq.Config().MaxAttachment + 1<<20 }

// readMessage decodes a message: JSON, or multipart with files.
func (s *Server) readMessage(w http.ResponseWriter, r *http.Request) (inquiries.MessageInput, error) {
	var in inquiries.MessageInput
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return in, decodeJSON(w, r, &in)
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.maxUpload())
	mr, err := r.MultipartReader()
	if err != nil {
		return in, errBadRequest("The body is not multipart.", validate.Errors{{Field: "body", Code: validate.Malformed}})
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return in, nil
		}
		if err != nil {
			return in, &httpError{status: http.StatusRequestEntityTooLarge, title: "Request too large", detail: "The message is too large.",
				fields: validate.Errors{{Field: "files", Code: validate.TooLarge, Args: map[string]any{"max": s.inq.Config().MaxAttachment}}}}
		}
		switch part.FormName() {
		case "body":
			b, _ := io.ReadAll(io.LimitReader(part, 1<<20))
			in.Body = string(b)
		case "internal":
			b, _ := io.ReadAll(io.LimitReader(part, 10))
			in.Internal = string(b) == "true" || string(b) == "on"
		case "files", "file":
			if part.FileName() == "" {
				continue
			}
			// The file is streamed to disk by the service while the
			// multipart reader advances; keep it in a temporary buffer
			// only as large as the limit allows.
			tmp, err := spoolUpload(part, s.inq.Config().MaxAttachment)
			if err != nil {
				return in, err
			}
			in.Files = append(in.Files, inquiries.FileInput{Name: part.FileName(), Body: tmp})
		}
	}
}

func (s *Server) apiInquiryMessage(w http.ResponseWriter, r *http.Request) error {
	if err := inquirySignedIn(r.Context()); err != nil {
		return err
	}
	in, err := s.readMessage(w, r)
	if err != nil {
		return err
	}
	defer closeFiles(in.Files)
	m, err := s.inq.Post(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, m)
}

func (s *Server) apiInquiryAttachment(w http.ResponseWriter, r *http.Request) error {
	if err := inquirySignedIn(r.Context()); err != nil {
		return err
	}
	return s.serveAttachment(w, r, func() (inquiries.Attachment, io.ReadCloser, error) {
		a, f, err := s.inq.Attachment(r.Context(), r.PathValue("id"))
		return a, f, err
	})
}

// serveAttachment streams a file as a download, never shown inline.
func (s *Server) serveAttachment(w http.ResponseWriter, r *http.Request, open func() (inquiries.Attachment, io.ReadCloser, error)) error {
	a, f, err := open()
	if err != nil {
		return err
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	h.Set("Content-Length", strconv.FormatInt(a.Size, 10))
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	_, err = io.Copy(w, f)
	if err != nil {
		slog.WarnContext(r.Context(), "attachment download", "err", err)
	}
	return nil
}

func (s *Server) apiInquiryStats(w http.ResponseWriter, r *http.Request) error {
	if err := inquirySignedIn(r.Context()); err != nil {
		return err
	}
	rows, err := s.inq.Stats(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": rows})
}

func (s *Server) apiInquiryStatsCSV(w http.ResponseWriter, r *http.Request) error {
	if err := inquirySignedIn(r.Context()); err != nil {
		return err
	}
	rows, err := s.inq.Stats(r.Context())
	if err != nil {
		return err
	}
	cw := csvexport.ForDownload(w, "escnet-inquiries.csv")
	cw.Write("dimension", "key", "received", "answered", "answered_share", "median_hours", "p90_hours", "handoffs", "rated", "satisfaction")
	for _, x := range rows {
		cw.Write(x.Dimension, x.Key, strconv.Itoa(x.Received), strconv.Itoa(x.Answered), fmt.Sprintf("%.3f", x.AnsweredShare),
			fmt.Sprintf("%.1f", x.MedianHours), fmt.Sprintf("%.1f", x.P90Hours), strconv.Itoa(x.Handoffs), strconv.Itoa(x.Rated),
			fmt.Sprintf("%.2f", x.Satisfaction))
	}
	return cw.Flush()
}

// ExpertInput lists or unlists a person as an expert for questions.
type ExpertInput struct {
	Expert  bool   `json:"expert"`
	Summary string `json:"summary"`
}

func (s *Server) apiSetExpert(w http.ResponseWriter, r *http.Request) error {
	if err := inquirySignedIn(r.Context()); err != nil {
		return err
	}
	var in ExpertInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.inq.SetExpert(r.Context(), r.PathValue("id"), in.Expert, in.Summary); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, in)
}
