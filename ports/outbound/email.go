package outbound

// EmailNormalizer maps an email address as a person typed it to the one
// form under which authd stores and compares it, so that one mailbox can
// never hold two accounts: the domain in IDNA A-labels (bücher.example and
// xn--bcher-kva.example are one domain), width variants folded (fullwidth
// letters are their ASCII letters), and look-alikes refused (a label
// mixing scripts, a local part outside ASCII). Refusals are
// *validation.Error for the field "email"; user.ParseEmail checks the
// result's syntax.
type EmailNormalizer interface {
	Normalize(raw string) (string, error)
}
