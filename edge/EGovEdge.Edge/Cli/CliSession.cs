using EGovEdge.Edge.Configuration;
using EGovEdge.Edge.Extensions;
using EGovEdge.Edge.Sync;
using EGovEdge.Office;
using EGovEdge.Office.Conflicts;
using EGovEdge.Sync;
using EGovEdge.Sync.Agent;
using EGovEdge.Sync.Storage;
using EGovEdge.Sync.Transport;
using EGovEdge.Sync.Verify;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace EGovEdge.Edge.Cli;

/// <summary>
/// What a verb works with: the edge database in EGov:DataDir (its node id read from the database itself), and on
/// demand the hub connection, built from the same registrations as the web host (HttpClient "hub-sync" with its
/// Polly pipeline, EdgeCredentials, HttpSyncTransport, EdgeSyncAgent).
/// </summary>
public sealed class CliSession : IDisposable
{
    private ServiceProvider? _services;

    private CliSession(EdgeOptions options, EdgeStore store, CliArguments args)
    {
        Options = options;
        Store = store;
        Args = args;
    }

    public EdgeOptions Options { get; }

    public EdgeStore Store { get; }

    public CliArguments Args { get; }

    public string DataDir => Options.DataDir;

    public string NodeId => Store.NodeId;

    /// <summary>Where the hub address came from: "argument" (--EGov:HubUrl), "stored" (by the web process) or null (none).</summary>
    public string? HubUrlSource { get; private set; }

    public string? HubUrl { get; private set; }

    /// <summary>Opens the edge database of EGov:DataDir; with <paramref name="allowCreate"/> (bootstrap) a new one when EGov:NodeId is given.</summary>
    public static CliSession Open(CliArguments args, bool allowCreate)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = ReadOptions(args);
        if (string.IsNullOrWhiteSpace(options.DataDir))
        {
            throw new UsageException("EGov:DataDir is required: the edge's data folder, e.g. --EGov:DataDir=/var/lib/egov/guangshun.");
        }
        options.DataDir = Path.GetFullPath(options.DataDir);
        var dbPath = Path.Combine(options.DataDir, "edge.db");
        var givenNode = string.IsNullOrWhiteSpace(options.NodeId) ? null : options.NodeId.Trim();
        if (givenNode is not null && !NodeIds.IsValid(givenNode))
        {
            throw new UsageException($"EGov:NodeId '{givenNode}' is not a township code (lower-case letters, digits, '-' or '_', starting with a letter).");
        }
        string nodeId;
        if (File.Exists(dbPath))
        {
            var owner = ReadOwner(dbPath);
            if (givenNode is not null && givenNode != owner)
            {
                throw new UsageException($"{dbPath} belongs to township '{owner}', not '{givenNode}'. Leave out EGov:NodeId or use that code.");
            }
            nodeId = owner;
        }
        else if (!Directory.Exists(options.DataDir) && !allowCreate)
        {
            throw new UsageException($"EGov:DataDir {options.DataDir} does not exist.");
        }
        else if (!allowCreate)
        {
            throw new UsageException($"{options.DataDir} holds no edge database (edge.db). Is EGov:DataDir the edge's data folder?");
        }
        else if (givenNode is null)
        {
            throw new UsageException($"{options.DataDir} holds no edge database yet: give --EGov:NodeId=<township code> to bootstrap a new one.");
        }
        else
        {
            nodeId = givenNode;
        }
        options.NodeId = nodeId;
        var store = new EdgeStore(dbPath, nodeId, OfficeSchema.Create(), TimeProvider.System);
        var session = new CliSession(options, store, args);
        if (args.Setting("EGov:HubUrl") is { } url)
        {
            session.HubUrl = url;
            session.HubUrlSource = "argument";
        }
        else if (store.GetState("hub_url") is { Length: > 0 } stored)
        {
            session.HubUrl = stored;
            session.HubUrlSource = "stored";
        }
        return session;
    }

    private static EdgeOptions ReadOptions(CliArguments args)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection(args.Settings)
            .Build();
        var options = new EdgeOptions();
        try
        {
            configuration.GetSection(EdgeOptions.Section).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new UsageException("bad EGov setting: " + (ex.InnerException?.Message ?? ex.Message));
        }
        return options;
    }

    /// <summary>The township code stored in the database (read-only; nothing is created or changed).</summary>
    private static string ReadOwner(string dbPath)
    {
        try
        {
            using var conn = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = dbPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 30,
            }.ToString());
            conn.Open();
            var exists = conn.ScalarLong("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sync_state'");
            var owner = exists > 0 ? conn.ScalarString("SELECT value FROM _sync_state WHERE key = 'node_id'") : null;
            return owner ?? throw new UsageException($"{dbPath} is not an edge database (no node id in _sync_state).");
        }
        catch (SqliteException ex)
        {
            throw new UsageException($"{dbPath} cannot be read as an edge database: {ex.Message}");
        }
    }

    /// <summary>What the credential is, never the key itself.</summary>
    public string CredentialKind()
    {
        if (File.Exists(Path.Combine(DataDir, "hub-credential"))) return "enrolled";
        return string.IsNullOrWhiteSpace(Options.HubKey) ? "none" : "key";
    }

    /// <summary>The services that talk to the hub; a usage error when no hub address is known.</summary>
    public IServiceProvider Hub
    {
        get
        {
            if (_services is not null) return _services;
            if (HubUrl is null)
            {
                throw new UsageException("no hub address: the edge's web process has not stored one in this database yet; give --EGov:HubUrl=URL.");
            }
            if (!Uri.TryCreate(HubUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new UsageException($"EGov:HubUrl '{HubUrl}' is not an absolute http(s) URL.");
            }
            Options.HubUrl = HubUrl;
            if (CredentialKind() == "none" && string.IsNullOrWhiteSpace(Options.EnrollmentCode))
            {
                throw new UsageException($"no township key: {Path.Combine(DataDir, "hub-credential")} does not exist; give --EGov:HubKey=KEY or --EGov:EnrollmentCode=CODE.");
            }
            var services = new ServiceCollection();
            services.AddLogging(b =>
            {
                b.SetMinimumLevel(Args.Verbose ? LogLevel.Information : LogLevel.None);
                if (Args.Verbose) b.AddSimpleConsole(o => o.SingleLine = true).AddFilter("System.Net.Http", LogLevel.Warning);
            });
            if (Args.Verbose) services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            services.AddSingleton(TimeProvider.System);
            services.AddSingleton(Microsoft.Extensions.Options.Options.Create(Options));
            services.AddHubClients(HubUrl);
            services.AddSingleton<EdgeCredentials>();
            services.AddSingleton(Store);
            services.AddSingleton(new SyncAgentOptions { SchemaVersion = OfficeSchema.Version });
            services.AddSingleton<ISyncTransport>(sp => new HttpSyncTransport(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(EdgeServiceExtensions.HubClient),
                sp.GetRequiredService<EdgeCredentials>().Current));
            services.AddSingleton<IVerifyTransport>(sp => new HttpVerifyTransport(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(EdgeServiceExtensions.HubClient),
                sp.GetRequiredService<EdgeCredentials>().Current));
            services.AddSingleton<EdgeSyncAgent>();
            _services = services.BuildServiceProvider();
            return _services;
        }
    }

    /// <summary>The open conflicts, read the way the review page reads them.</summary>
    public IReadOnlyList<ConflictView> OpenConflicts()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLocalization();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ILocalStore>(Store);
        services.AddSingleton<ConflictService>();
        using var sp = services.BuildServiceProvider();
        return sp.GetRequiredService<ConflictService>().Open();
    }

    public void Dispose()
    {
        _services?.Dispose();
        SqliteConnection.ClearAllPools();
    }
}
