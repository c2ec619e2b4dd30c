using EGovEdge.Office.Documents;
using EGovEdge.Office.Identity;
using EGovEdge.Office.Tests.TestSupport;

namespace EGovEdge.Office.Tests.Identity;

public sealed class UserServiceTests : IDisposable
{
    private readonly OfficeWorld _world = new();

    public void Dispose() => _world.Dispose();

    private UserService At(EGovEdge.Sync.Storage.ILocalStore store) => new(store, _world.Time, _world.Text);

    [Fact]
    public void EnsureAdministrator_NoAdminAndNoPassword_RefusesToStart()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => At(_world.Hub).EnsureAdministrator(null));
        Assert.Contains("EGov:Admin:Password", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => At(_world.Hub).EnsureAdministrator("short"));
    }

    [Fact]
    public void Login_RightAndWrongPassword_SucceedsAndFails()
    {
        var users = At(_world.Hub);
        users.EnsureAdministrator("Admin2026x");

        Assert.Equal(LoginResult.Success, users.Login("admin", "Admin2026x").Result);
        Assert.Equal(LoginResult.BadCredentials, users.Login("admin", "admin2026x").Result);
        Assert.Equal(LoginResult.BadCredentials, users.Login("nobody", "Admin2026x").Result);
    }

    [Fact]
    public void Login_FiveFailures_LockedFifteenMinutesEvenWithTheRightPassword()
    {
        var users = At(_world.Hub);
        users.EnsureAdministrator("Admin2026x");
        for (var i = 0; i < 4; i++) Assert.Equal(LoginResult.BadCredentials, users.Login("admin", "wrong").Result);

        Assert.Equal(LoginResult.LockedOut, users.Login("admin", "wrong").Result);
        Assert.Equal(LoginResult.LockedOut, users.Login("admin", "Admin2026x").Result);
        _world.Time.Advance(UserService.LockoutDuration + TimeSpan.FromSeconds(1));
        Assert.Equal(LoginResult.Success, users.Login("admin", "Admin2026x").Result);
    }

    [Fact]
    public void Create_AtHub_AccountReachesItsTownshipOnlyAndLogsInThereOffline()
    {
        var hubUsers = At(_world.Hub);
        hubUsers.Create("zhangsan", "张三", "guangshun", [Roles.Clerk], "Clerk2026x");
        _world.Edge("guangshun");
        _world.Edge("malu");
        _world.SyncAll();

        var (result, user) = At(_world.Edge("guangshun")).Login("zhangsan", "Clerk2026x");
        Assert.Equal(LoginResult.Success, result);
        Assert.Equal(["clerk"], user!.Roles);
        Assert.Equal(LoginResult.BadCredentials, At(_world.Edge("malu")).Login("zhangsan", "Clerk2026x").Result);
    }

    [Fact]
    public void Create_AtAnEdge_Forbidden()
    {
        Assert.Throws<OfficeForbiddenException>(() => At(_world.Edge("guangshun")).Create("lisi", "李四", "guangshun", [Roles.Clerk], "Clerk2026x"));
    }

    [Fact]
    public void ChangePassword_AtTownshipOffline_SyncsAndWorksAtTheHub()
    {
        At(_world.Hub).Create("zhangsan", "张三", "guangshun", [Roles.Clerk], "Clerk2026x");
        _world.Edge("guangshun");
        _world.SyncAll();
        var edgeUsers = At(_world.Edge("guangshun"));
        edgeUsers.ChangePassword(edgeUsers.FindByUsername("zhangsan")!, "Clerk2026x", "NewPass2027y");
        _world.SyncAll();

        Assert.Equal(LoginResult.Success, At(_world.Hub).Login("zhangsan", "NewPass2027y").Result);
        Assert.Equal(0, _world.Edge("guangshun").RejectedCount());
    }

    [Fact]
    public void Push_TownshipRaisesItsOwnStaffToAdmin_RejectedAndReverted()
    {
        var created = At(_world.Hub).Create("zhangsan", "张三", "guangshun", [Roles.Clerk], "Clerk2026x");
        var gs = _world.Edge("guangshun");
        _world.SyncAll();

        gs.Update(UsersTable.Name, created.Id, new System.Text.Json.Nodes.JsonObject { ["roles"] = "|admin|" });
        _world.SyncAll();

        Assert.Equal("|clerk|", _world.Hub.Get(UsersTable.Name, created.Id)!.Text("roles"));
        Assert.Equal("|clerk|", gs.Get(UsersTable.Name, created.Id)!.Text("roles"));
        Assert.Contains(gs.Rejected(), r => r.RowId == created.Id && r.Reason.Contains("hub", StringComparison.Ordinal));
    }

    [Fact]
    public void EnsureAdministrator_AtEdge_CreatesLocalAdminThatIsNotReplicated()
    {
        var gs = _world.Edge("guangshun");
        At(gs).EnsureAdministrator("Edge2026x");
        _world.SyncAll();

        Assert.Equal(LoginResult.Success, At(gs).Login("admin", "Edge2026x").Result);
        Assert.Equal(0, gs.PendingRowCount());
        Assert.Null(At(_world.Hub).FindByUsername("admin"));
    }
}
