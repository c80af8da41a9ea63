package mongodb

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/orderly-shop/orderly"
)

// settingsID is the _id of the one settings document.
const settingsID = "settings"

// settingsDoc is the settings as stored.
type settingsDoc struct {
	ID               string `bson:"_id"`
	orderly.Settings `bson:",inline"`
}

// SettingsService keeps the operator settings in a single document. It
// implements orderly.SettingsService.
type SettingsService struct {
	db    *DB
	ttl   time.Duration
	mu    sync.Mutex
	read  *orderly.Settings
	until time.Time
}

var _ orderly.SettingsService = (*SettingsService)(nil)

// SettingsOptions tune a SettingsService.
type SettingsOptions struct {
	// CacheFor, if positive, serves FindSettings from the last read for
	// that long: the worker reads the settings in every activity attempt
	// (failure rates), and an operator's change then applies within
	// CacheFor instead of costing a store read per attempt.
	CacheFor time.Duration
}

// NewSettingsService returns a SettingsService over db.
func NewSettingsService(db *DB, opts SettingsOptions) *SettingsService {
	return &SettingsService{db: db, ttl: opts.CacheFor}
}

// FindSettings returns the stored settings, or orderly.DefaultSettings.
// The result is the caller's to change.
func (s *SettingsService) FindSettings(ctx context.Context) (*orderly.Settings, error) {
	if s.ttl <= 0 {
		return s.findSettings(ctx)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.read == nil || time.Now().After(s.until) {
		st, err := s.findSettings(ctx)
		if err != nil {
			return nil, err
		}
		s.read, s.until = st, time.Now().Add(s.ttl)
	}
	c := *s.read
	c.FailureRates = slices.Clone(s.read.FailureRates)
	return &c, nil
}

func (s *SettingsService) findSettings(ctx context.Context) (*orderly.Settings, error) {
	var doc settingsDoc
	err := s.db.coll(colSettings).FindOne(ctx, bson.D{{Key: "_id", Value: settingsID}}).Decode(&doc)
	if isNotFound(err) {
		d := orderly.DefaultSettings()
		return &d, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find settings: %w", err)
	}
	return &doc.Settings, nil
}

// SaveSettings validates and stores the settings, stamping UpdatedAt.
func (s *SettingsService) SaveSettings(ctx context.Context, st *orderly.Settings) error {
	if err := st.Validate(); err != nil {
		return err
	}
	doc := settingsDoc{ID: settingsID, Settings: *st}
	doc.UpdatedAt = now()
	upsert := func() error {
		_, err := s.db.coll(colSettings).ReplaceOne(ctx, bson.D{{Key: "_id", Value: settingsID}}, doc, options.Replace().SetUpsert(true))
		return err
	}
	err := upsert()
	if isDuplicateKey(err) {
		err = upsert() // two first saves raced to insert; the document exists now
	}
	if err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	st.UpdatedAt = doc.UpdatedAt
	s.mu.Lock()
	s.read = nil // this process sees its own change at once
	s.mu.Unlock()
	return nil
}
