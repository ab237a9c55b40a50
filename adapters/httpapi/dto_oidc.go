package httpapi

import "github.com/authd/authd/domain/identity"

type (
	exchangeRequest struct {
		Code *string `json:"code"`
	}
	linkRequest struct {
		RedirectTo *string `json:"redirectTo"`
	}
	linkResponse struct {
		AuthorizeURL string `json:"authorizeUrl"`
	}
	identitiesEnvelope struct {
		Identities []identityDTO `json:"identities"`
	}
)

// identityDTO is a linked identity as its owner sees it: never the
// provider's subject, which is no business of the front end.
type identityDTO struct {
	ID        string `json:"id"`
	Provider  string `json:"provider"`
	Email     string `json:"email"`
	CreatedAt string `json:"createdAt"`
}

func toIdentityDTO(i *identity.Identity) identityDTO {
	return identityDTO{ID: i.ID().String(), Provider: i.Provider(), Email: i.Email(), CreatedAt: timestamp(i.CreatedAt())}
}
