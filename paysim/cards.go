package paysim

import "github.com/orderly-shop/orderly"

// TestCard is a card number with a known outcome, as PSP sandboxes publish
// them. The simulator tells them apart by their last four digits (all that
// Orderly keeps of a card); any other valid card number is approved.
type TestCard struct {
	Number  string
	Outcome string
	// Decline is the reason every authorization is declined with, if any.
	Decline orderly.DeclineReason
	// ReauthorizationDecline is the reason only re-authorizations are
	// declined with: the first hold is granted, its renewal is not.
	ReauthorizationDecline orderly.DeclineReason
}

// TestCards lists the sandbox's cards. The numbers are Stripe's published
// test numbers where one exists, so they pass every card form's checks.
func TestCards() []TestCard {
	return []TestCard{
		{Number: "4242 4242 4242 4242", Outcome: "approved"},
		{Number: "4000 0000 0000 9995", Outcome: "declined: insufficient funds", Decline: orderly.DeclineInsufficientFunds},
		{Number: "4000 0000 0000 0069", Outcome: "declined: card expired", Decline: orderly.DeclineCardExpired},
		{Number: "4100 0000 0000 0019", Outcome: "declined: fraud suspected", Decline: orderly.DeclineFraudSuspected},
		{Number: "4000 0000 0000 0002", Outcome: "declined by the issuer", Decline: orderly.DeclineDoNotHonor},
		{Number: "4000 0000 0000 0341", Outcome: "approved, but re-authorization is declined (insufficient funds)",
			ReauthorizationDecline: orderly.DeclineInsufficientFunds},
	}
}

// declineFor returns the reason an authorization with this method is
// declined, if it is.
func declineFor(m orderly.PaymentMethod, reauthorize bool) (orderly.DeclineReason, bool) {
	for _, c := range TestCards() {
		if c.Number[len(c.Number)-4:] != m.Last4 {
			continue
		}
		if c.Decline != "" {
			return c.Decline, true
		}
		if reauthorize && c.ReauthorizationDecline != "" {
			return c.ReauthorizationDecline, true
		}
	}
	return "", false
}
