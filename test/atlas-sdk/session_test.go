package atlassdk

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/mongodb-forks/digest"
	"go.mongodb.org/atlas-sdk/v20250312018/admin"
	"go.mongodb.org/atlas-sdk/v20250312018/auth"
)

// A session is the official SDK's client under one auth mode, over a transport that keeps each answer's
// body: every success is decoded once more, strictly, so that a field the SDK's model does not know
// fails the suite as surely as a field of the wrong type (which the SDK itself reports as an error).

const (
	project = "6650a1b2c3d4e5f6a7b8c9d0" // orders: the sources and most targets
	sandbox = "6650a1b2c3d4e5f6a7b8c9d1" // orders-sandbox: staging-cluster and staging-sharded
)

type session struct {
	client   *admin.APIClient
	ctx      context.Context
	recorder *recorder
}

// authMode builds the SDK's client modifier of one credential of the default seed.
type authMode struct {
	name   string
	client func(ctx context.Context, transport http.RoundTripper) (admin.ClientModifier, context.Context)
}

var authModes = []authMode{
	{
		name: "digest API key",
		client: func(ctx context.Context, transport http.RoundTripper) (admin.ClientModifier, context.Context) {
			digested := digest.NewTransportWithHTTPRoundTripper("emulpubk", "00000000-0000-4000-8000-000000000001", transport)
			client, err := digested.Client()
			if err != nil {
				panic(err)
			}
			return admin.UseHTTPClient(client), ctx
		},
	},
	{
		name: "service account OAuth",
		client: func(ctx context.Context, transport http.RoundTripper) (admin.ClientModifier, context.Context) {
			// The token request and the API calls both go through the recording transport.
			ctx = context.WithValue(ctx, auth.HTTPClient, &http.Client{Transport: transport})
			return admin.UseOAuthAuth(ctx, "mdb_sa_id_6650a1b2c3d4e5f6a7b8ce00",
				"mdb_sa_sk_emulatorSecret0000000000000000000000000001"), ctx
		},
	},
}

func newSession(t *testing.T, mode authMode) *session {
	t.Helper()
	rec := &recorder{base: http.DefaultTransport}
	modifier, ctx := mode.client(context.Background(), rec)
	// The base URL first: the OAuth modifier reads it for its token URL.
	client, err := admin.NewClient(admin.UseBaseURL(emulatorURL), modifier, admin.UseUserAgent("atlas-sdk-conformance"))
	if err != nil {
		t.Fatalf("the SDK refused its configuration: %v", err)
	}
	return &session{client: client, ctx: ctx, recorder: rec}
}

// recorder keeps the body of the last Atlas answer (neither the token request nor a digest challenge).
type recorder struct {
	base     http.RoundTripper
	mu       sync.Mutex
	last     []byte
	requests int
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := r.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests++
	if res.StatusCode != http.StatusUnauthorized && !strings.HasPrefix(req.URL.Path, "/api/oauth/") {
		r.last = body
	}
	return res, nil
}

// ok fails unless the call succeeded with the status expected, and decodes its answer again strictly.
func (s *session) ok(t *testing.T, what string, value any, res *http.Response, err error, status int) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if res.StatusCode != status {
		t.Fatalf("%s answered %d, not %d", what, res.StatusCode, status)
	}
	if value == nil {
		return
	}
	s.recorder.mu.Lock()
	body := s.recorder.last
	s.recorder.mu.Unlock()
	strict := reflect.New(reflect.TypeOf(value).Elem()).Interface()
	decoder := json.NewDecoder(bytes.NewReader(body))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(strict); err != nil {
		t.Fatalf("%s: the answer has what the SDK's model lacks: %v", what, err)
	}
}

// refused fails unless the call answered the status and Atlas error code expected, in an ApiError the
// SDK decodes.
func refused(t *testing.T, what string, res *http.Response, err error, status int, code string) {
	t.Helper()
	apiError, isApiError := admin.AsError(err)
	if !isApiError {
		t.Fatalf("%s: expected ApiError %s, got: %v", what, code, err)
	}
	if res.StatusCode != status || apiError.GetErrorCode() != code || apiError.GetError() != status {
		t.Fatalf("%s answered %d %s (error %d), not %d %s", what, res.StatusCode, apiError.GetErrorCode(),
			apiError.GetError(), status, code)
	}
}

// page is what every Atlas list answers.
type page interface {
	GetLinks() []admin.Link
	GetTotalCount() int
}

// walk reads a list one item per page, following `next` links until there is none, and checks that the
// pages add up to totalCount, and that it is `want`.
func walk[P page](t *testing.T, s *session, what string, want int,
	get func(pageNum int) (P, *http.Response, error), size func(P) int) {
	t.Helper()
	seen := 0
	for pageNum := 1; ; pageNum++ {
		p, res, err := get(pageNum)
		s.ok(t, what, p, res, err, http.StatusOK)
		seen += size(p)
		if size(p) > 1 {
			t.Fatalf("%s page %d holds %d items, asked for 1", what, pageNum, size(p))
		}
		next := false
		for _, link := range p.GetLinks() {
			next = next || link.GetRel() == "next"
		}
		if !next {
			if seen != p.GetTotalCount() || seen != want {
				t.Fatalf("%s: %d items over %d pages, totalCount %d, expected %d", what, seen, pageNum,
					p.GetTotalCount(), want)
			}
			return
		}
		if pageNum > 100 {
			t.Fatalf("%s: more than 100 pages", what)
		}
	}
}

// describe is a value as JSON, for failure messages (the SDK's models are mostly pointers).
func describe(value any) string {
	text, err := json.Marshal(value)
	if err != nil {
		return err.Error()
	}
	return string(text)
}

// expectCount fails unless a list held as many items as expected.
func expectCount(t *testing.T, what string, got, want int) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: %d items, expected %d", what, got, want)
	}
}
