namespace EGovEdge.IntegrationTests.Support;

/// <summary>Staff accounts the security tests create at the hub: unique names, passwords that meet the policy.</summary>
internal static class Accounts
{
    /// <summary>A user name unique to this run (the account policy: lower-case letter first, then letters, digits, '_', '.', '-').</summary>
    public static string NewUsername(string prefix) => $"{prefix}_{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>At least 8 characters with letters and digits.</summary>
    public static string NewPassword() => "Pw-" + Guid.NewGuid().ToString("N")[..10] + "-7q";

    /// <summary>Creates an account at the hub (as its administrator) and returns it with its password.</summary>
    public static async Task<(StaffAccount Account, string Password)> CreateAsync(HubNode hub, string prefix, string unit, params string[] roles)
    {
        var password = NewPassword();
        var username = NewUsername(prefix);
        var account = await hub.Api.CreateUserAsync(new NewUser(username, $"测试用户 {username}", unit, roles, password));
        Assert.Equal(username, account.Username);
        Assert.Equal(unit, account.Unit);
        return (account, password);
    }

    /// <summary>Until the account row is in the node's own database (it came with a pull).</summary>
    public static Task WaitForAccountAsync(EdgeNode edge, string username) =>
        Poll.WaitUntilAsync(() =>
            {
                edge.EnsureRunning();
                return edge.Db.Long("SELECT COUNT(*) FROM users WHERE username = @u AND deleted = 0", ("@u", username)) == 1;
            },
            Sync.Timeout, $"account {username} to reach {edge.Name}");
}
