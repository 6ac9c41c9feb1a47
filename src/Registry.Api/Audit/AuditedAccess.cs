using Registry.Domain.Access;

namespace Registry.Api.Audit;

/// <summary>
/// What one request did with personal data, as the endpoint knows it: whose data, which fields, under which purpose,
/// and, when the endpoint refused, why. The audit trail writes it, with who asked and the outcome, before the response
/// leaves (no audit, no data). Endpoints fill it through <see cref="AuditedAccessExtensions.Audit"/>.
/// </summary>
public sealed class AuditedAccess
{
    /// <summary>The purpose the request stated, once it has been read.</summary>
    public StatedPurpose? Purpose { get; set; }

    /// <summary>The personal ID numbers whose data was read, changed or asked for, in the order met.</summary>
    public IList<string> PersonNumbers { get; } = [];

    /// <summary>The fields read or changed, in their wire names (e.g. <c>fullName</c>, <c>permanentAddress</c>).</summary>
    public IList<string> Fields { get; } = [];

    /// <summary>Why the endpoint refused, when it did; the audit's outcome comes from the response's status.</summary>
    public string? Refusal { get; set; }

    /// <summary>Records that <paramref name="personalIdNumber"/>'s <paramref name="fields"/> were touched.</summary>
    public AuditedAccess Touch(string personalIdNumber, IEnumerable<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (!PersonNumbers.Contains(personalIdNumber))
        {
            PersonNumbers.Add(personalIdNumber);
        }

        foreach (var field in fields)
        {
            if (!Fields.Contains(field))
            {
                Fields.Add(field);
            }
        }

        return this;
    }
}

/// <summary>Reaching a request's <see cref="AuditedAccess"/>, and marking the endpoints whose requests are audited.</summary>
public static class AuditedAccessExtensions
{
    /// <summary>The request's audited access, created on first use.</summary>
    public static AuditedAccess Audit(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var access = context.Features.Get<AuditedAccess>();
        if (access is null)
        {
            access = new AuditedAccess();
            context.Features.Set(access);
        }

        return access;
    }

    /// <summary>
    /// Marks endpoints that read or change personal data: each of their requests, allowed or refused, is written to the
    /// audit log before its response leaves.
    /// </summary>
    public static TBuilder AuditsPersonalData<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(AuditsPersonalDataMetadata.Instance);
    }
}

/// <summary>The endpoint metadata <see cref="AuditedAccessExtensions.AuditsPersonalData"/> adds.</summary>
public sealed class AuditsPersonalDataMetadata
{
    /// <summary>The one instance; the marker carries nothing.</summary>
    public static AuditsPersonalDataMetadata Instance { get; } = new();

    private AuditsPersonalDataMetadata()
    {
    }
}
