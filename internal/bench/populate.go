package bench

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/internal/bench/gqlclient"
	"github.com/orderly-shop/orderly/internal/bench/report"
)

// historyCustomers is how many past customers the stored orders belong to.
const historyCustomers = 50

// insertBatch is how many documents one insertMany carries.
const insertBatch = 500

// populate stores n completed orders in the app's database, as fast as the
// store takes inserts, that look like real ones because they are copies of
// one: a template customer places a real order through the API and it runs
// to COMPLETED; then every document it left in the store — any document of
// any collection whose _id names the order (the order, its payment, its
// notifications, …) or the customer (the account, rewards, …) — is copied n
// times with new order and customer IDs, e-mail and idempotency key
// replaced wherever they appear, and every timestamp moved back, the newest
// an hour old, one a minute apart. The copies belong to historyCustomers
// customers, whose own documents are copied once each.
//
// Copying whatever one real order left keeps the stored documents in step
// with the data layer without knowing its layout: a collection added for
// orders is copied too. Documents shared by all orders (products, settings,
// a change log keyed by sequence) are not copied.
func (h *harness) populate(ctx context.Context, a *app, db string, n int, productID string, source int) (*report.Population, error) {
	start := time.Now()
	email := fmt.Sprintf("history-%s@bench.example", orderly.NewID("t"))
	t, err := register(ctx, a.url, gqlclient.SourceAddress(source), email, h.cfg.OrderTimeout)
	if err != nil {
		return nil, fmt.Errorf("template customer: %w", err)
	}
	defer t.close()
	var me struct{ Me *struct{ ID string } }
	if err := t.api.Do(ctx, `{ me { id } }`, nil, &me); err != nil || me.Me == nil {
		return nil, fmt.Errorf("template customer: me: %v", err)
	}
	key := "history-template-" + orderly.NewID("k")
	s, orderID := t.order(ctx, key, productID, 1)
	if s.outcome != completed {
		return nil, fmt.Errorf("template order %s did not complete: outcome %d, %s", orderID, s.outcome, s.reason)
	}
	tpl, err := templateDocuments(ctx, a.mongo.Database(db), orderID, me.Me.ID)
	if err != nil {
		return nil, err
	}
	pop := &report.Population{Orders: n, Template: orderID, DocsPerOrder: map[string]int{}}
	for _, d := range tpl {
		if d.ofOrder {
			pop.DocsPerOrder[d.collection]++
		}
	}
	if len(pop.DocsPerOrder) == 0 {
		return nil, fmt.Errorf("no stored document names the template order %s", orderID)
	}

	customers := make([]string, min(n, historyCustomers))
	for k := range customers {
		customers[k] = orderly.NewID(orderly.PrefixCustomer)
	}
	newest := time.Now().Add(-time.Hour)
	batches := map[string][]any{}
	flush := func(coll string) error {
		docs := batches[coll]
		batches[coll] = nil
		if len(docs) == 0 {
			return nil
		}
		_, err := a.mongo.Database(db).Collection(coll).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		if err != nil && !onlyDuplicates(err) {
			return fmt.Errorf("insert into %s: %w", coll, err)
		}
		return nil
	}
	for i := range n {
		k := i % len(customers)
		r := strings.NewReplacer(
			orderID, orderly.NewID(orderly.PrefixOrder),
			me.Me.ID, customers[k],
			email, fmt.Sprintf("history-%d-%s", k, email),
			key, fmt.Sprintf("history-%d", i),
		)
		age := newest.Add(-time.Duration(n-1-i) * time.Minute)
		shift := age.Sub(start)
		for _, d := range tpl {
			if !d.ofOrder && i >= len(customers) {
				continue // a customer's own documents, copied once
			}
			batches[d.collection] = append(batches[d.collection], rewrite(d.doc, r, shift))
			if len(batches[d.collection]) >= insertBatch {
				if err := flush(d.collection); err != nil {
					return nil, err
				}
			}
		}
	}
	for coll := range batches {
		if err := flush(coll); err != nil {
			return nil, err
		}
	}
	pop.Seconds = time.Since(start).Seconds()
	return pop, nil
}

// templateDoc is one document the template order left.
type templateDoc struct {
	collection string
	doc        bson.Raw
	// ofOrder: its _id names the order (else it names the customer).
	ofOrder bool
}

// templateDocuments reads every document of db whose _id names the order
// or the customer.
func templateDocuments(ctx context.Context, db *mongo.Database, orderID, customerID string) ([]templateDoc, error) {
	names, err := db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("list collections: %w", err)
	}
	var out []templateDoc
	for _, name := range names {
		cur, err := db.Collection(name).Find(ctx, bson.D{})
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		for cur.Next(ctx) {
			id, ok := cur.Current.Lookup("_id").StringValueOK()
			if !ok {
				continue
			}
			switch {
			case strings.Contains(id, orderID):
				out = append(out, templateDoc{collection: name, doc: clone(cur.Current), ofOrder: true})
			case strings.Contains(id, customerID):
				out = append(out, templateDoc{collection: name, doc: clone(cur.Current)})
			}
		}
		err = cur.Err()
		cur.Close(ctx)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
	}
	return out, nil
}

func clone(b bson.Raw) bson.Raw { return append(bson.Raw(nil), b...) }

// rewrite copies a document with every string (keys too) passed through r
// and every date moved by shift.
func rewrite(doc bson.Raw, r *strings.Replacer, shift time.Duration) bson.D {
	elems, _ := doc.Elements()
	out := make(bson.D, 0, len(elems))
	for _, e := range elems {
		out = append(out, bson.E{Key: r.Replace(e.Key()), Value: rewriteValue(e.Value(), r, shift)})
	}
	return out
}

func rewriteValue(v bson.RawValue, r *strings.Replacer, shift time.Duration) any {
	switch v.Type {
	case bson.TypeString:
		return r.Replace(v.StringValue())
	case bson.TypeDateTime:
		return bson.NewDateTimeFromTime(v.Time().Add(shift))
	case bson.TypeEmbeddedDocument:
		return rewrite(v.Document(), r, shift)
	case bson.TypeArray:
		vals, _ := bson.Raw(v.Array()).Values()
		arr := make(bson.A, 0, len(vals))
		for _, x := range vals {
			arr = append(arr, rewriteValue(x, r, shift))
		}
		return arr
	}
	return v
}

// onlyDuplicates reports whether every error of a bulk insert is a
// duplicate key: a document already there (a customer's, copied twice) is
// not a failure.
func onlyDuplicates(err error) bool {
	var bw mongo.BulkWriteException
	if !errors.As(err, &bw) || bw.WriteConcernError != nil || len(bw.WriteErrors) == 0 {
		return false
	}
	for _, we := range bw.WriteErrors {
		if we.Code != 11000 {
			return false
		}
	}
	return true
}
