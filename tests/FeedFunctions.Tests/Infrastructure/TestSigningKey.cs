using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>A test issuer's signing key (RSA for RS256, P-256 for ES256) and its public JWK.</summary>
public sealed class TestSigningKey
{
    private TestSigningKey(string kid, SecurityKey key, string algorithm, JsonObject publicJwk)
    {
        Kid = kid;
        Key = key;
        Algorithm = algorithm;
        PublicJwk = publicJwk;
    }

    public string Kid { get; }

    public SecurityKey Key { get; }

    public string Algorithm { get; }

    /// <summary>What the issuer's JWKS publishes for this key.</summary>
    public JsonObject PublicJwk { get; }

    public SigningCredentials Credentials => new(Key, Algorithm);

    public static TestSigningKey Rsa(string kid)
    {
        var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(false);
        return new TestSigningKey(kid, new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha256, new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = SecurityAlgorithms.RsaSha256,
            ["kid"] = kid,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        });
    }

    public static TestSigningKey EcP256(string kid)
    {
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = ecdsa.ExportParameters(false);
        return new TestSigningKey(kid, new ECDsaSecurityKey(ecdsa) { KeyId = kid }, SecurityAlgorithms.EcdsaSha256, new JsonObject
        {
            ["kty"] = "EC",
            ["use"] = "sig",
            ["alg"] = SecurityAlgorithms.EcdsaSha256,
            ["kid"] = kid,
            ["crv"] = "P-256",
            ["x"] = Base64UrlEncoder.Encode(parameters.Q.X),
            ["y"] = Base64UrlEncoder.Encode(parameters.Q.Y),
        });
    }

    /// <summary>The same RSA key under another kid (generating RSA keys is slow; forged kids need not be new keys).</summary>
    public TestSigningKey WithKid(string kid)
    {
        var rsa = ((RsaSecurityKey)Key).Rsa;
        var jwk = (JsonObject)PublicJwk.DeepClone();
        jwk["kid"] = kid;
        return new TestSigningKey(kid, new RsaSecurityKey(rsa) { KeyId = kid }, Algorithm, jwk);
    }

    /// <summary>The public key's bytes, as an attacker would use them for an HS256 "algorithm confusion" token.</summary>
    public byte[] PublicKeyBytes() => Key is RsaSecurityKey { Rsa: { } rsa } ? rsa.ExportSubjectPublicKeyInfo() : ((ECDsaSecurityKey)Key).ECDsa.ExportSubjectPublicKeyInfo();
}
