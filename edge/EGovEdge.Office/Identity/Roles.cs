namespace EGovEdge.Office.Identity;

/// <summary>Staff roles (the key people the county named: 公文收发员, 电子印章管理员, 信息上报员, …).</summary>
public static class Roles
{
    public const string Clerk = "clerk";               // 公文收发员
    public const string SealAdmin = "seal_admin";      // 电子印章管理员
    public const string Reporter = "reporter";         // 信息上报员
    public const string Leader = "leader";             // 签发人 (unit leader)
    public const string Supervisor = "supervisor";     // 督查
    public const string Technician = "technician";     // 运维
    public const string Admin = "admin";               // 系统管理员
    public const string Driver = "driver";             // 驾驶员

    public static readonly IReadOnlyList<string> All = [Clerk, SealAdmin, Reporter, Leader, Supervisor, Technician, Admin, Driver];

    /// <summary>Roles whose holders may log in at every node (their user row is published county-wide).</summary>
    public static readonly IReadOnlyList<string> CountyWide = [Supervisor, Technician, Admin];

    public static bool IsValid(string role) => All.Contains(role);
}

/// <summary>Authorization policy names used by endpoints and pages.</summary>
public static class Policies
{
    public const string Staff = "staff";
    public const string DocumentsWrite = "documents.write";
    public const string SyncOperate = "sync.operate";
    public const string Supervise = "supervise";
    public const string Administer = "administer";

    /// <summary>签发 and 会签: unit leaders.</summary>
    public const string SignOff = "signoff";

    /// <summary>用印: document clerks and seal administrators apply seals to signed-off documents.</summary>
    public const string SealUse = "seal.use";

    /// <summary>Seal registry: seal administrators request seals; the county's admin (seal maker) issues and revokes.</summary>
    public const string SealManage = "seal.manage";

    /// <summary>Approving and dispatching vehicles, confirming room bookings: clerks (办公室) and leaders.</summary>
    public const string Dispatch = "dispatch";

    /// <summary>Trip start and finish with mileage: drivers.</summary>
    public const string Drive = "drive";
}
