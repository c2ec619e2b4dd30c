namespace EGovEdge.Testing;

/// <summary>The townships the tests use, each with a fresh random key per test process.</summary>
public static class County
{
    public static readonly Township Guangshun = new("guangshun", NewKey(), "广顺镇");
    public static readonly Township Malu = new("malu", NewKey(), "马路乡");
    public static readonly Township Baisuo = new("baisuo", NewKey(), "摆所镇");
    public static readonly Township Daihua = new("daihua", NewKey(), "代化镇");
    public static readonly Township Guyang = new("guyang", NewKey(), "鼓扬镇");

    /// <summary>Password of the administrator "admin" every test node creates on first start (EGov:Admin:Password).</summary>
    public static readonly string AdminPassword = "egov-" + NewKey()[..12] + "-7";

    public const string AdminUser = "admin";

    public static string NewKey() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
