using System.Buffers.Binary;
using System.Text;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace EGovEdge.Office.Seals;

/// <summary>SM2 (GB/T 32918) signatures with SM3 (GB/T 32905) and the default user id, via BouncyCastle.</summary>
public static class SmCrypto
{
    private static readonly ECDomainParameters Domain = CreateDomain();

    /// <summary>A new SM2 key pair: private scalar (32 bytes) and public point (uncompressed, 65 bytes).</summary>
    public static (byte[] PrivateKey, byte[] PublicKey) GenerateKeyPair()
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(Domain, new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        var d = ((ECPrivateKeyParameters)pair.Private).D.ToByteArrayUnsigned();
        var q = ((ECPublicKeyParameters)pair.Public).Q.GetEncoded(false);
        return (Pad32(d), q);
    }

    /// <summary>The public point of a private scalar.</summary>
    public static byte[] PublicKeyOf(byte[] privateKey) =>
        Domain.G.Multiply(new BigInteger(1, privateKey)).Normalize().GetEncoded(false);

    /// <summary>SM2 signature (DER) over <paramref name="data"/> (SM3 with Z of the default user id inside).</summary>
    public static byte[] Sign(byte[] privateKey, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var signer = new SM2Signer();
        signer.Init(true, new ParametersWithRandom(new ECPrivateKeyParameters(new BigInteger(1, privateKey), Domain), new SecureRandom()));
        signer.BlockUpdate(data, 0, data.Length);
        return signer.GenerateSignature();
    }

    /// <summary>How many verified (key, data, signature) triples <see cref="VerifyRemembered"/> keeps.</summary>
    public const int RememberedCapacity = 4096;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Remembered = new(StringComparer.Ordinal);

    /// <summary>
    /// <see cref="Verify"/>, remembering successes: a seal record's maker signature or a use's signature, once verified,
    /// is not checked again in this process while key, data and signature are byte for byte the same (the key is the SM3
    /// of all three, each length-prefixed). Failures are never remembered, so a repaired record verifies at once.
    /// </summary>
    public static bool VerifyRemembered(byte[] publicKey, byte[] data, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(signature);
        var key = Sm3Hex(new CanonicalWriter().Add("EGovEdge-Verified/1").Add(publicKey).Add(data).Add(signature).ToArray());
        if (Remembered.ContainsKey(key)) return true;
        if (!Verify(publicKey, data, signature)) return false;
        if (Remembered.Count >= RememberedCapacity) Remembered.Clear();
        Remembered.TryAdd(key, true);
        return true;
    }

    /// <summary>False for a wrong signature, a malformed key or a malformed signature.</summary>
    public static bool Verify(byte[] publicKey, byte[] data, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(data);
        try
        {
            var signer = new SM2Signer();
            signer.Init(false, PublicKeyParameters(publicKey));
            signer.BlockUpdate(data, 0, data.Length);
            return signer.VerifySignature(signature);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or IOException
                                       or Org.BouncyCastle.Crypto.CryptoException)
        {
            return false;
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ECPublicKeyParameters> PublicKeys = new(StringComparer.Ordinal);

    /// <summary>
    /// The decoded public point, kept per key: BouncyCastle stores its multiplication tables on the point object, so a
    /// key that verifies again (a unit's seal, the county's maker key) reuses them instead of rebuilding them.
    /// </summary>
    private static ECPublicKeyParameters PublicKeyParameters(byte[] publicKey)
    {
        var hex = Convert.ToHexStringLower(publicKey);
        if (PublicKeys.TryGetValue(hex, out var cached)) return cached;
        var parameters = new ECPublicKeyParameters(Domain.Curve.DecodePoint(publicKey), Domain);
        if (PublicKeys.Count >= RememberedCapacity) PublicKeys.Clear();
        PublicKeys.TryAdd(hex, parameters);
        return parameters;
    }

    public static byte[] Sm3(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var digest = new SM3Digest();
        digest.BlockUpdate(data, 0, data.Length);
        var result = new byte[digest.GetDigestSize()];
        digest.DoFinal(result, 0);
        return result;
    }

    public static string Sm3Hex(byte[] data) => Convert.ToHexStringLower(Sm3(data));

    public static bool TryFromHex(string? hex, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrEmpty(hex) || hex.Length % 2 != 0) return false;
        try
        {
            bytes = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static byte[] Pad32(byte[] d)
    {
        if (d.Length >= 32) return d;
        var padded = new byte[32];
        d.CopyTo(padded, 32 - d.Length);
        return padded;
    }

    private static ECDomainParameters CreateDomain()
    {
        var x9 = GMNamedCurves.GetByName("sm2p256v1");
        return new ECDomainParameters(x9.Curve, x9.G, x9.N, x9.H);
    }
}

/// <summary>An unambiguous byte encoding: every field is a 4-byte big-endian length followed by its bytes.</summary>
public sealed class CanonicalWriter
{
    private readonly MemoryStream _out = new();

    public CanonicalWriter Add(string? text) => Add(text is null ? null : Encoding.UTF8.GetBytes(text));

    /// <summary>Null is written as length 0xFFFFFFFF, so null and empty differ.</summary>
    public CanonicalWriter Add(byte[]? data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(len, data is null ? uint.MaxValue : (uint)data.Length);
        _out.Write(len);
        if (data is not null) _out.Write(data);
        return this;
    }

    public CanonicalWriter Add(int count)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b, count);
        _out.Write(b);
        return this;
    }

    public byte[] ToArray() => _out.ToArray();
}
