using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Registry.Api.Access;
using Registry.Api.Audit;
using Registry.Api.Batches;
using Registry.Api.Hosting;
using Registry.Api.Limits;
using Registry.Contracts.Events;
using Registry.Grains.Batches;
using Registry.Grains.Cards;
using Registry.Grains.Reorganisation;
using Registry.Grains.ResidenceSweep;
using Registry.Grains.Residents;
using Registry.Grains.Resumption;
using Registry.ServiceDefaults;
using Registry.Silo.Hosting;
using Registry.Tokens;

namespace Registry.Unit.Tests.Hosting;

/// <summary>
/// Every setting of the registry is checked when its host starts: a bad value refuses start-up with a message naming
/// the configuration key to fix, before a silo joins the cluster or the API listens. The hosts are built with their own
/// wiring (<c>AddRegistrySilo</c>, the API's verbs) and started; a refused start opens no port and reaches no database.
/// </summary>
public sealed class OptionsValidationTests
{
    // Never connected to: a start that is refused stops before anything uses it, and the other tests only read options.
    private const string UnusedDatabase = "Host=127.0.0.1;Port=1;Database=unused";

    /// <summary>Settings a silo refuses, each with the start of the message operators see.</summary>
    public static TheoryData<string, string, string> BadSiloSettings => new()
    {
        { "UnfinishedWork:SweepPeriod", "00:00:00", "UnfinishedWork:SweepPeriod must be positive" },
        { "UnfinishedWork:GracePeriod", "-00:00:01", "UnfinishedWork:GracePeriod must not be negative" },
        { "UnfinishedWork:MaxPerSweep", "0", "UnfinishedWork:MaxPerSweep must be positive" },
        { "Reorganisation:PageSize", "0", "Reorganisation:PageSize must be positive" },
        { "Reorganisation:Concurrency", "-1", "Reorganisation:Concurrency must be positive" },
        { "Reorganisation:ReminderPeriod", "00:00:00", "Reorganisation:ReminderPeriod must be positive" },
        { "ResidenceSweep:Period", "00:00:00", "ResidenceSweep:Period must be positive" },
        { "ResidenceSweep:ReminderPeriod", "-00:01:00", "ResidenceSweep:ReminderPeriod must be positive" },
        { "CardExpirySweep:Period", "00:00:00", "CardExpirySweep:Period must be positive" },
        { "CardExpirySweep:ReminderPeriod", "00:00:00", "CardExpirySweep:ReminderPeriod must be positive" },
        { "CardExpirySweep:PageSize", "0", "CardExpirySweep:PageSize must be 1 to 10000" },
        { "CardExpirySweep:PagePause", "-00:00:01", "CardExpirySweep:PagePause must not be negative" },
        { "Proposals:OpenFor", "00:00:00", "Proposals:OpenFor must be positive and at most 90 days" },
        { "Proposals:OpenFor", "91.00:00:00", "Proposals:OpenFor must be positive and at most 90 days" },
        { "Batches:ChunkSize", "5001", "Batches:ChunkSize must be between 1 and 5000" },
        { "Batches:Concurrency", "0", "Batches:Concurrency must be between 1 and 1000" },
        { "Batches:TickInterval", "-00:00:01", "Batches:TickInterval must not be negative" },
        { "Batches:ReminderPeriod", "00:00:00", "Batches:ReminderPeriod must be positive" },
        { "Batches:MaxBackoff", "00:00:00.500", "Batches:MaxBackoff must be at least one second" },
        { "Silo:Name", " ", "Silo:Name must be given" },
        { "Silo:Name", new string('s', SiloEndpointOptions.MaxNameLength + 1), "Silo:Name must be given and at most 150 characters" },
        { "Silo:SiloPort", "0", "Silo:SiloPort must be a port between 1 and 65535" },
        { "Silo:GatewayPort", "65536", "Silo:GatewayPort must be a port between 1 and 65535" },
        { "Silo:GatewayPort", "11111", "Silo:GatewayPort must differ from Silo:SiloPort" },
        { "Silo:AdvertisedIP", "silo-1.example", "Silo:AdvertisedIP must be an IP address" },
        { "Silo:HttpPort", "0", "Silo:HttpPort must be a port between 1 and 65535" },
        { "Silo:HttpAddress", "0.0.0.0", "Silo:HttpAddress must be a loopback or private IP address" },
        { "Silo:HttpAddress", "203.0.113.7", "Silo:HttpAddress must be a loopback or private IP address" },
        { "Silo:HttpAddress", "172.32.0.1", "Silo:HttpAddress must be a loopback or private IP address" },
        { "Registry:Auth:SigningKey", "", "Registry:Auth:SigningKey is missing" },
        { "EventStream:VisibilityTimeout", "00:00:00", "EventStream:VisibilityTimeout must be positive" },
        { "EventStream:MaxAttempts", "0", "EventStream:MaxAttempts must be positive" },
        { "EventStream:ExpiryTimeout", "-1.00:00:00", "EventStream:ExpiryTimeout must be positive" },
        { "EventStream:DeadLetterEvictionTimeout", "00:00:00", "EventStream:DeadLetterEvictionTimeout must be positive" },
        { "EventStream:EvictionInterval", "00:00:00", "EventStream:EvictionInterval must be positive" },
        { "EventStream:EvictionBatchSize", "0", "EventStream:EvictionBatchSize must be positive" },
    };

    /// <summary>Settings the API refuses, each with the start of the message operators see.</summary>
    public static TheoryData<string, string, string> BadApiSettings => new()
    {
        { "BatchUploads:MaxUploadBytes", "0", "BatchUploads:MaxUploadBytes must be positive" },
        { "BatchUploads:ChunkRows", "10001", "BatchUploads:ChunkRows must be between 1 and 10000" },
        { "BatchUploads:ChunkBytes", "65535", "BatchUploads:ChunkBytes must be between 65536 and 67108864" },
        { "Registry:Auth:Issuer", " ", "Registry:Auth:Issuer is missing" },
        { "Registry:Auth:Audience", "", "Registry:Auth:Audience is missing" },
        { "Registry:Auth:SigningKey", "c2hvcnQ=", "Registry:Auth:SigningKey decodes to 5 bytes" },
        { "Registry:Auth:MaximumLifetime", "00:00:00", "Registry:Auth:MaximumLifetime must be positive" },
        { "Registry:Auth:Authority", "http://eid.example.gov.vn", "Registry:Auth:Authority must use https" },
        { "Registry:Auth:MetadataAddress", "eid.example.gov.vn", "Registry:Auth:MetadataAddress must be an absolute https URL" },
        { "Registry:RateLimits:Window", "00:00:00", "Registry:RateLimits:Window must be positive" },
        { "Registry:RateLimits:Citizen", "0", "Registry:RateLimits:Citizen must be at least 1" },
        { "Registry:RateLimits:ProvincialOfficer", "-5", "Registry:RateLimits:ProvincialOfficer must be at least 1" },
        { "Registry:RateLimits:PartnerRefresh", "00:00:00", "Registry:RateLimits:PartnerRefresh must be between a second and an hour" },
        { "Registry:RateLimits:Anonymous", "-1", "Registry:RateLimits:Anonymous must be at least 1" },
    };

    /// <summary>A silo with one bad setting does not start, and says which key to fix.</summary>
    [Theory]
    [MemberData(nameof(BadSiloSettings))]
    public async Task A_silo_with_a_bad_setting_refuses_to_start_naming_its_key(string key, string value, string expected)
    {
        using var silo = Silo((key, value));

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => silo.StartAsync());

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    /// <summary>The API with one bad setting does not start, and says which key to fix without showing the signing key.</summary>
    [Theory]
    [MemberData(nameof(BadApiSettings))]
    public async Task The_api_with_a_bad_setting_refuses_to_start_naming_its_key(string key, string value, string expected)
    {
        using var api = Api((key, value));

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => api.StartAsync());

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2hvcnQ=", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>The API without token settings names all three keys at once, so one restart is enough to fix them.</summary>
    [Fact]
    public async Task The_api_without_token_settings_names_every_missing_key()
    {
        using var api = Api(("Registry:Auth:Issuer", null), ("Registry:Auth:Audience", null), ("Registry:Auth:SigningKey", null));

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => api.StartAsync());

        Assert.Equal(3, refused.Failures.Count());
        Assert.Contains("Registry:Auth:Issuer is missing", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Registry:Auth:Audience is missing", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Registry:Auth:SigningKey is missing", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>The audit cannot be switched off but in the benchmark environment: the API refuses to start, naming the key.</summary>
    [Fact]
    public void The_audit_cannot_be_switched_off_outside_a_benchmark()
    {
        var builder = WebApplication.CreateSlimBuilder();
        Configure(builder.Configuration, [.. TokenSettings, ("Registry:Audit:OffForBenchmark", "true")]);
        builder.AddRegistryAudit();
        using var api = builder.Build();

        var refused = Assert.Throws<InvalidOperationException>(() => api.UseRegistryAudit());

        Assert.Contains("Registry:Audit:OffForBenchmark", refused.Message, StringComparison.Ordinal);
        Assert.Contains("ASPNETCORE_ENVIRONMENT=Benchmark", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>Nothing configured but the database: every setting's default is accepted.</summary>
    [Fact]
    public void The_defaults_are_valid()
    {
        using var silo = Silo();
        _ = silo.Services.GetRequiredService<IOptions<UnfinishedWorkOptions>>().Value;
        _ = silo.Services.GetRequiredService<IOptions<ReorganisationOptions>>().Value;
        _ = silo.Services.GetRequiredService<IOptions<ResidenceSweepOptions>>().Value;
        _ = silo.Services.GetRequiredService<IOptions<CardExpirySweepOptions>>().Value;
        _ = silo.Services.GetRequiredService<IOptions<BatchProcessingOptions>>().Value;
        _ = silo.Services.GetRequiredService<IOptions<ProposalOptions>>().Value;
        _ = silo.Services.GetRequiredService<IOptions<SiloEndpointOptions>>().Value;
        _ = silo.Services.GetRequiredService<IOptions<EventStreamOptions>>().Value;

        using var api = Api();
        _ = api.Services.GetRequiredService<IOptions<BatchUploadOptions>>().Value;
        _ = api.Services.GetRequiredService<IOptions<RegistryAuthOptions>>().Value;
        _ = api.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        _ = api.Services.GetRequiredService<IOptions<AuditOptions>>().Value;
    }

    /// <summary>The checked settings are the ones Orleans runs with: the silo's endpoints and the event stream's timings.</summary>
    [Fact]
    public void The_checked_settings_reach_orleans()
    {
        using var silo = Silo(
            ("Silo:Name", "silo-dc1-07"),
            ("Silo:SiloPort", "11117"),
            ("Silo:GatewayPort", "30007"),
            ("Silo:AdvertisedIP", "10.20.0.17"),
            ("Silo:ListenOnAnyHostAddress", "true"),
            ("EventStream:VisibilityTimeout", "00:00:05"),
            ("EventStream:MaxAttempts", "7"));

        var endpoints = silo.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(IPAddress.Parse("10.20.0.17"), endpoints.AdvertisedIPAddress);
        Assert.Equal(11117, endpoints.SiloPort);
        Assert.Equal(30007, endpoints.GatewayPort);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 11117), endpoints.SiloListeningEndpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 30007), endpoints.GatewayListeningEndpoint);
        Assert.Equal("silo-dc1-07", silo.Services.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName);

        var stream = silo.Services.GetRequiredService<IOptionsMonitor<AdoNetStreamOptions>>().Get(RegistryEvent.StreamProvider);
        Assert.Equal(TimeSpan.FromSeconds(5), stream.VisibilityTimeout);
        Assert.Equal(7, stream.MaxAttempts);
        Assert.Equal(TimeSpan.FromDays(1), stream.ExpiryTimeout);
        Assert.Equal(RegistryDatabase.Invariant, stream.Invariant);
        Assert.Equal(UnusedDatabase, stream.ConnectionString);
    }

    private static WebApplication Silo(params (string Key, string? Value)[] settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        Configure(builder.Configuration, [.. TokenSettings, .. settings]);
        builder.AddRegistrySilo();
        return builder.Build();
    }

    private static WebApplication Api(params (string Key, string? Value)[] settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        Configure(builder.Configuration, [.. TokenSettings, .. settings]);
        builder.AddRegistryAuthentication();
        builder.AddRegistryRateLimits();
        builder.AddRegistryDatabase();
        builder.AddRegistryBatches();
        builder.AddRegistryAudit();
        return builder.Build();
    }

    // Both hosts check tokens (the silo at its dashboard).
    private static (string Key, string? Value)[] TokenSettings =>
    [
        ("Registry:Auth:Issuer", "registry-tests"),
        ("Registry:Auth:Audience", "registry-api"),
        ("Registry:Auth:SigningKey", Convert.ToBase64String(new byte[RegistryAuthOptions.MinimumKeyBytes])),
    ];

    private static void Configure(IConfigurationBuilder configuration, (string Key, string? Value)[] settings)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { [RegistryDatabase.ConnectionStringKey] = UnusedDatabase };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        configuration.AddInMemoryCollection(values);
    }
}
