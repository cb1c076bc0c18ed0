package pw

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"patchreview/review"
	"patchreview/storage"
)

type person struct {
	ID    int64  `json:"id"`
	URL   string `json:"url"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// cache holds what one request looks up again and again: people ids by
// email and series rows by id.
type cache struct {
	people map[string]int64
	series map[int64]storage.SeriesSummary
}

type cacheKey struct{}

// withCache gives each request its own cache.
func withCache(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &cache{people: map[string]int64{}, series: map[int64]storage.SeriesSummary{}}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), cacheKey{}, c)))
	})
}

func requestCache(r *http.Request) *cache {
	if c, ok := r.Context().Value(cacheKey{}).(*cache); ok {
		return c
	}
	return &cache{people: map[string]int64{}, series: map[int64]storage.SeriesSummary{}}
}

func (a *API) person(r *http.Request, addr review.Address) (person, error) {
	c := requestCache(r)
	key := strings.ToLower(addr.Email)
	id, ok := c.people[key]
	if !ok {
		var err error
		if id, err = a.Store.PersonID(r.Context(), addr.Email); err != nil {
			return person{}, err
		}
		c.people[key] = id
	}
	return person{ID: id, URL: fmt.Sprintf("%s/people/%d/", api(r), id), Name: addr.Name, Email: addr.Email}, nil
}

func (a *API) seriesSummary(r *http.Request, id int64) (storage.SeriesSummary, error) {
	c := requestCache(r)
	if ss, ok := c.series[id]; ok {
		return ss, nil
	}
	ss, err := a.Store.SeriesSummaryByID(r.Context(), id)
	if err == nil {
		c.series[id] = ss
	}
	return ss, err
}

type user struct {
	ID        int64  `json:"id"`
	URL       string `json:"url"`
	Username  string `json:"username"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email"`
}

func toUser(r *http.Request, acc storage.FaceAccount) user {
	first, last, _ := strings.Cut(acc.Name, " ")
	return user{ID: acc.ID, URL: fmt.Sprintf("%s/users/%d/", api(r), acc.ID), Username: acc.Username,
		FirstName: first, LastName: last, Email: acc.Email}
}

func (a *API) peopleList(w http.ResponseWriter, r *http.Request) error {
	p, err := readPage(r)
	if err != nil {
		return err
	}
	ps, err := a.Store.People(r.Context(), r.URL.Query().Get("q"), p.per+1, p.offset())
	if err != nil {
		return err
	}
	out := []person{}
	for _, x := range ps {
		out = append(out, person{ID: x.ID, URL: fmt.Sprintf("%s/people/%d/", api(r), x.ID), Name: x.Name, Email: x.Email})
	}
	writePage(w, r, p, out)
	return nil
}

func (a *API) personShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	x, err := a.Store.PersonByID(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, person{ID: x.ID, URL: fmt.Sprintf("%s/people/%d/", api(r), x.ID), Name: x.Name, Email: x.Email})
	return nil
}

// userList and userShow list the reviewer accounts (patchwork's users,
// whom git-pw delegates to): only to a caller with an account's token, so
// that the accounts' addresses are not public.
func (a *API) userList(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.account(r); err != nil {
		return err
	}
	p, err := readPage(r)
	if err != nil {
		return err
	}
	accs, err := a.Store.FaceAccounts(r.Context(), r.URL.Query().Get("q"), p.per+1, p.offset())
	if err != nil {
		return err
	}
	out := []user{}
	for _, acc := range accs {
		out = append(out, toUser(r, acc))
	}
	writePage(w, r, p, out)
	return nil
}

func (a *API) userShow(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.account(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	acc, err := a.Store.FaceAccountByID(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toUser(r, acc))
	return nil
}
