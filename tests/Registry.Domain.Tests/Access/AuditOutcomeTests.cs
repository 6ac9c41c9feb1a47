using Registry.Domain.Access;

namespace Registry.Domain.Tests.Access;

/// <summary>The audit log's outcome follows the answer's status: denied by the access rules, refused for any other client error, failed on a server error.</summary>
public sealed class AuditOutcomeTests
{
    /// <summary>Each status class lands in its outcome, and 401 and 403 are told apart from other refusals.</summary>
    [Theory]
    [InlineData(200, "allowed")]
    [InlineData(201, "allowed")]
    [InlineData(202, "allowed")]
    [InlineData(204, "allowed")]
    [InlineData(304, "allowed")]
    [InlineData(400, "refused")]
    [InlineData(401, "denied")]
    [InlineData(403, "denied")]
    [InlineData(404, "refused")]
    [InlineData(409, "refused")]
    [InlineData(413, "refused")]
    [InlineData(429, "refused")]
    [InlineData(500, "failed")]
    [InlineData(503, "failed")]
    public void A_status_has_one_outcome(int status, string outcome) =>
        Assert.Equal(outcome, AuditOutcomes.Name(AuditOutcomes.Of(status)));
}
