using EGovEdge.Office.Hosting;

namespace EGovEdge.Office.Seals;

/// <summary>
/// Where the signing keys of this node's seals live. The software store keeps them in files; a USB key (UKey) or the
/// provincial seal platform can replace it behind this interface: the private key never leaves the implementation.
/// </summary>
public interface ISealKeyStore
{
    /// <summary>Creates the signing key pair of a new seal; returns the SM2 public key (uncompressed point).</summary>
    byte[] Create(string sealId);

    /// <summary>Whether this node holds the signing key of the seal.</summary>
    bool Has(string sealId);

    /// <summary>SM2 signature (DER) with the seal's key over <paramref name="data"/>.</summary>
    byte[] Sign(string sealId, byte[] data);
}

/// <summary>The county seal maker's key (制章者): signs seal records at the hub. Replaceable by the provincial platform.</summary>
public interface ISealMakerKey
{
    /// <summary>SM3 of the public key, first 16 bytes in hex.</summary>
    string KeyId { get; }

    byte[] PublicKey { get; }

    byte[] Sign(byte[] data);
}

/// <summary>Software key files (0600) holding the SM2 private scalar in hex.</summary>
internal static class KeyFiles
{
    public static void Write(string path, byte[] privateKey)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(Convert.ToHexStringLower(privateKey));
        writer.Write('\n');
    }

    public static byte[] Read(string path) => Convert.FromHexString(File.ReadAllText(path).Trim());
}

/// <summary>Seal keys as files in <c>DataDir/keys/seals/&lt;seal id&gt;.key</c>.</summary>
public sealed class SoftwareSealKeyStore(NodeEnvironment env) : ISealKeyStore
{
    public byte[] Create(string sealId)
    {
        var (privateKey, publicKey) = SmCrypto.GenerateKeyPair();
        KeyFiles.Write(PathOf(sealId), privateKey);
        return publicKey;
    }

    public bool Has(string sealId) => Guid.TryParse(sealId, out _) && File.Exists(PathOf(sealId));

    public byte[] Sign(string sealId, byte[] data)
    {
        if (!Has(sealId)) throw new InvalidOperationException($"This node holds no signing key for seal {sealId}.");
        return SmCrypto.Sign(KeyFiles.Read(PathOf(sealId)), data);
    }

    private string PathOf(string sealId)
    {
        if (!Guid.TryParse(sealId, out var id)) throw new ArgumentException("Seal ids are UUIDs.", nameof(sealId));
        return Path.Combine(env.Dir("keys/seals"), id.ToString("D") + ".key");
    }
}

/// <summary>The maker key in <c>DataDir/keys/seal-maker.key</c> (0600), created on first use at the hub.</summary>
public sealed class SoftwareSealMakerKey(NodeEnvironment env) : ISealMakerKey
{
    private readonly Lazy<(byte[] Private, byte[] Public)> _key = new(() => LoadOrCreate(env));

    public string KeyId => MakerKeyId(PublicKey);

    public byte[] PublicKey => _key.Value.Public;

    public byte[] Sign(byte[] data)
    {
        if (!env.IsHub) throw new InvalidOperationException("Only the county hub holds the seal maker's key.");
        return SmCrypto.Sign(_key.Value.Private, data);
    }

    public static string MakerKeyId(byte[] publicKey) => Convert.ToHexStringLower(SmCrypto.Sm3(publicKey).AsSpan(0, 16));

    private static (byte[], byte[]) LoadOrCreate(NodeEnvironment env)
    {
        if (!env.IsHub) throw new InvalidOperationException("Only the county hub holds the seal maker's key.");
        var path = Path.Combine(env.Dir("keys"), "seal-maker.key");
        if (!File.Exists(path))
        {
            try
            {
                KeyFiles.Write(path, SmCrypto.GenerateKeyPair().PrivateKey);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use that one.
            }
        }
        var privateKey = KeyFiles.Read(path);
        return (privateKey, SmCrypto.PublicKeyOf(privateKey));
    }
}
