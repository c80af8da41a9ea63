// Package report holds the results of one benchmark run and writes them as
// JSON (for tools), Markdown (for people, and for the README to link) and
// SVG charts. Every figure in it was measured in that run on that machine;
// the ratios compare Orderly with a baseline measured beside it.
package report

import (
	"time"
)

// Report is one run of the benchmark.
type Report struct {
	StartedAt       time.Time `json:"startedAt"`
	DurationSeconds float64   `json:"durationSeconds"`
	Machine         Machine   `json:"machine"`
	Settings        Settings  `json:"settings"`
	// EndToEnd are the points of the Orderly vs bare Temporal comparison,
	// in the order they ran.
	EndToEnd []Point `json:"endToEnd"`
	// Shape compares the workflow histories of the two programs.
	Shape   *Shape   `json:"shape,omitempty"`
	Catalog *Catalog `json:"catalog,omitempty"`
	FanOut  []FanOut `json:"fanOut"`
	// Notes say what the reader must know to read the figures: fallbacks
	// taken, points that ran out of time.
	Notes []string `json:"notes"`
}

// Machine describes where the run happened.
type Machine struct {
	CPUs      int    `json:"cpus"`
	OS        string `json:"os"`
	Arch      string `json:"arch"`
	GoVersion string `json:"goVersion"`
	Commit    string `json:"commit,omitempty"`
	// LoadStart and LoadEnd are the 1/5/15-minute load averages: other work
	// on the machine shows up here.
	LoadStart [3]float64 `json:"loadStart"`
	LoadEnd   [3]float64 `json:"loadEnd"`
}

// Settings are the knobs of the run.
type Settings struct {
	WindowSeconds    float64 `json:"windowSeconds"`
	WarmupSeconds    float64 `json:"warmupSeconds"`
	WarmupMaxSeconds float64 `json:"warmupMaxSeconds"`
	// TrackingUpdates and TrackingInterval pace shipping, the same for
	// Orderly (SHIPPING_TRACKING_*) and the bare program.
	TrackingUpdates        int     `json:"trackingUpdates"`
	TrackingIntervalSecs   float64 `json:"trackingIntervalSeconds"`
	Shoppers               []int   `json:"shoppers"`
	Stored                 []int   `json:"stored"`
	StoredShoppers         int     `json:"storedShoppers"`
	CatalogClients         int     `json:"catalogClients"`
	CatalogWindowSeconds   float64 `json:"catalogWindowSeconds"`
	Subscribers            []int   `json:"subscribers"`
	FanOutTrackingUpdates  int     `json:"fanOutTrackingUpdates"`
	FanOutTrackingInterval float64 `json:"fanOutTrackingIntervalSeconds"`
}

// Point is one end-to-end measurement: Orderly and the bare program with the
// same number of clients, Orderly's store holding Stored orders beforehand.
type Point struct {
	Shoppers int `json:"shoppers"`
	Stored   int `json:"stored"`
	Bare     Run `json:"bare"`
	Orderly  Run `json:"orderly"`
	// ThroughputRatio is Orderly's orders/s over the bare program's.
	ThroughputRatio float64 `json:"throughputRatio"`
	// P99Ratio is Orderly's p99 placeOrder→COMPLETED over the bare p99.
	P99Ratio   float64     `json:"p99Ratio"`
	Population *Population `json:"population,omitempty"`
}

// Run is one closed-loop measurement window of one program.
type Run struct {
	Clients       int     `json:"clients"`
	WindowSeconds float64 `json:"windowSeconds"`
	// WarmupSeconds is how long the loop ran before the window; the warm-up
	// ends once every client finished an order (WarmedUp) or at its bound.
	WarmupSeconds float64 `json:"warmupSeconds"`
	WarmedUp      bool    `json:"warmedUp"`
	// Completed, Failed and Cancelled count the orders that ended in the
	// window; Errors the loop iterations that broke (an API error, a lost
	// socket, a timeout).
	Completed       int     `json:"completed"`
	Failed          int     `json:"failed"`
	Cancelled       int     `json:"cancelled"`
	Errors          int     `json:"errors"`
	OrdersPerSecond float64 `json:"ordersPerSecond"`
	// Latency is placeOrder→COMPLETED (Orderly: from sending placeOrder to
	// receiving COMPLETED over the websocket; bare: from starting the
	// workflow to its result), completed orders only.
	Latency Latency `json:"latency"`
	// PlaceOrder is the placeOrder round trip alone (Orderly only).
	PlaceOrder *Latency `json:"placeOrder,omitempty"`
	// Processes are the CPU and memory of each process during the window,
	// by role: temporal, store, server, worker, bareWorker, harness.
	Processes map[string]Process `json:"processes"`
	Store     *StoreCost         `json:"store,omitempty"`
	// FailureReasons counts the reasons of FAILED and CANCELLED orders and
	// of errors, as the API gave them.
	FailureReasons map[string]int `json:"failureReasons,omitempty"`
	// SequenceViolations counts orderUpdated events whose version did not
	// follow the previous one (lost, repeated or reordered).
	SequenceViolations int `json:"sequenceViolations"`
}

// Process is what one process cost during a window.
type Process struct {
	CPUSeconds  float64 `json:"cpuSeconds"`
	CPUPerOrder float64 `json:"cpuSecondsPerOrder"`
	// Cores is CPU seconds per second of window.
	Cores float64 `json:"cores"`
	// RSSBytes is the resident memory at the end of the window.
	RSSBytes int64 `json:"rssBytes"`
}

// StoreCost is what the store served during a window.
type StoreCost struct {
	// Source is the command the counts come from: devstoreStats or
	// serverStatus.
	Source           string             `json:"source"`
	Requests         float64            `json:"requests"`
	RequestsPerOrder float64            `json:"requestsPerOrder"`
	PerOrder         map[string]float64 `json:"byCommandPerOrder"`
	// Fields are the other devstoreStats counters' changes over the window.
	Fields map[string]float64 `json:"fields,omitempty"`
}

// Population says how the stored orders of a point were made.
type Population struct {
	Orders  int     `json:"orders"`
	Seconds float64 `json:"seconds"`
	// DocsPerOrder counts, by collection, the documents each stored order
	// added: the documents one real completed order left, copied.
	DocsPerOrder map[string]int `json:"docsPerOrder"`
	// Template is the real order they were copied from.
	Template string `json:"template"`
	Cached   bool   `json:"cached,omitempty"`
}

// Shape compares one completed order of each program as Temporal recorded
// it: history events by type, for the order workflow and its shipping child.
type Shape struct {
	Orderly HistoryShape `json:"orderly"`
	Bare    HistoryShape `json:"bare"`
}

// HistoryShape counts a workflow pair's history events.
type HistoryShape struct {
	Order    map[string]int `json:"order"`
	Shipping map[string]int `json:"shipping"`
}

// Catalog compares the catalog query on the real server with the same
// handler over an in-memory catalog.
type Catalog struct {
	Clients       int        `json:"clients"`
	WindowSeconds float64    `json:"windowSeconds"`
	Query         string     `json:"query"`
	Server        Throughput `json:"server"`
	Memory        Throughput `json:"memory"`
	// Ratio is the server's requests/s over the in-memory handler's.
	Ratio float64 `json:"ratio"`
}

// Throughput is a closed loop of requests.
type Throughput struct {
	Requests          int     `json:"requests"`
	Errors            int     `json:"errors"`
	RequestsPerSecond float64 `json:"requestsPerSecond"`
	Latency           Latency `json:"latency"`
	// Processes and Store: per-order figures are per request here.
	Processes map[string]Process `json:"processes,omitempty"`
	Store     *StoreCost         `json:"store,omitempty"`
}

// FanOut is one order followed by many subscribers, each on its own socket.
type FanOut struct {
	Subscribers int `json:"subscribers"`
	// Subscribed counts those whose subscription started (its initial event
	// arrived) before the changes began.
	Subscribed int `json:"subscribed"`
	// Changes is how many timeline entries followed the subscriptions.
	Changes int `json:"changes"`
	// Delivered counts the events received; Expected is Subscribed × Changes.
	Delivered int `json:"delivered"`
	Expected  int `json:"expected"`
	// Violations counts the subscribers that missed an entry, got one twice
	// or out of order; their entries are in ViolatingEvents.
	Violations      int `json:"violations"`
	ViolatingEvents int `json:"violatingEvents"`
	// Latency is from each entry's `at` to its receipt by each subscriber.
	Latency Latency `json:"latency"`
	// SetupSeconds is how long opening every subscription took.
	SetupSeconds float64 `json:"setupSeconds"`
	// Server memory (RSS) before the subscribers connected and once they
	// all had; PerSubscriber is the difference over Subscribed.
	ServerRSSBefore     int64   `json:"serverRssBefore"`
	ServerRSSSubscribed int64   `json:"serverRssSubscribed"`
	ServerRSSPeak       int64   `json:"serverRssPeak"`
	BytesPerSubscriber  float64 `json:"bytesPerSubscriber"`
	DeliverySeconds     float64 `json:"deliverySeconds"`
	// Processes and Store cover the delivery, from approval to the last
	// receipt; their per-order figures are per change here.
	Processes map[string]Process `json:"processes"`
	Store     *StoreCost         `json:"store,omitempty"`
	// RequestsPerChange is the store's requests over Changes.
	RequestsPerChange float64 `json:"storeRequestsPerChange"`
	Errors            int     `json:"errors"`
}
