"""One OpenID Connect implementation, used on both sides of the federation.

`provider` serves an issuer (FranceConnect and each identity provider are one
each, configured by a `ProviderSpec`); `relying_party` is the client side
(Mon Compte towards FranceConnect, FranceConnect towards each identity
provider), built on Authlib. Signatures and JWTs are joserfc's.
"""
