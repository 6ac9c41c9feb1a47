using Registry.Contracts;
using Registry.Contracts.Events;
using Registry.Domain.Access;

namespace Registry.Domain.Tests.Access;

/// <summary>A partner's policy is built only from known purposes, fields and kinds with a rate in range, and allows only what it names.</summary>
public sealed class PartnerPoliciesTests
{
    private static readonly PartnerPolicy Health = new(
        "ministry-of-health", ["health-care", "health-insurance"], ["personalIdNumber", "fullName", "birthDate", "alive"],
        [RegistryEventKind.Birth, RegistryEventKind.Death], 600, MayVerify: true);

    /// <summary>A well-formed request becomes the policy, each item once, event kinds read from their wire names.</summary>
    [Fact]
    public void A_well_formed_request_becomes_the_policy()
    {
        var (policy, errors) = PartnerPolicies.Build("ministry-of-health", ["health-care", "health-insurance", "health-care"],
            ["personalIdNumber", "fullName", "birthDate", "alive"], ["birth", "death"], 600, true);

        Assert.Empty(errors);
        Assert.Equal(Health, policy);
    }

    /// <summary>Empty lists are a choice (a suspended partner, one receiving no events), not an error.</summary>
    [Fact]
    public void Empty_lists_are_a_policy_that_allows_nothing()
    {
        var (policy, errors) = PartnerPolicies.Build("bank-1", [], [], [], 1, false);

        Assert.Empty(errors);
        Assert.False(policy!.Allows(AccessPurposes.DataQuality));
        Assert.False(policy.Receives(RegistryEventKind.Death));
    }

    /// <summary>Each bad item is refused naming its list and index (or the member), and no policy is built.</summary>
    [Theory]
    [InlineData("purposes[1]", new[] { "health-care", "spying" }, new[] { "fullName" }, new[] { "death" }, 60, true)]
    [InlineData("fields[0]", new[] { "health-care" }, new[] { "passwordHash" }, new[] { "death" }, 60, true)]
    [InlineData("fields[1]", new[] { "health-care" }, new[] { "fullName", "mother" }, new[] { "death" }, 60, true)]
    [InlineData("eventKinds[0]", new[] { "health-care" }, new[] { "fullName" }, new[] { "marriage" }, 60, true)]
    [InlineData("eventKinds[0]", new[] { "health-care" }, new[] { "fullName" }, new[] { "Death" }, 60, true)]
    [InlineData("requestsPerMinute", new[] { "health-care" }, new[] { "fullName" }, new[] { "death" }, 0, true)]
    [InlineData("requestsPerMinute", new[] { "health-care" }, new[] { "fullName" }, new[] { "death" }, 60_001, true)]
    [InlineData("requestsPerMinute", new[] { "health-care" }, new[] { "fullName" }, new[] { "death" }, null, true)]
    [InlineData("mayVerify", new[] { "health-care" }, new[] { "fullName" }, new[] { "death" }, 60, null)]
    public void A_bad_item_is_refused_naming_it(string field, string[] purposes, string[] fields, string[] kinds, int? rate, bool? mayVerify)
    {
        var (policy, errors) = PartnerPolicies.Build("ministry-of-health", purposes, fields, kinds, rate, mayVerify);

        Assert.Null(policy);
        Assert.Equal(field, Assert.Single(errors).Field);
    }

    /// <summary>A missing list and a malformed partner id are refused too, all in one answer.</summary>
    [Fact]
    public void Missing_lists_and_a_bad_partner_id_are_all_named()
    {
        var (policy, errors) = PartnerPolicies.Build("ministry of health", null, null, null, 60, true);

        Assert.Null(policy);
        Assert.Equal(["partnerId", "purposes", "fields", "eventKinds"], errors.Select(error => error.Field));
    }

    /// <summary>No policy, or a purpose the policy does not name, is a 403; a purpose it names goes through.</summary>
    [Fact]
    public void A_partner_is_admitted_only_with_a_policy_naming_its_purpose()
    {
        Assert.Equal(("partnerId", RefusalKind.Forbidden), Only(PartnerPolicies.Admit(null, "bank-1", AccessPurposes.DataQuality, "Access-Purpose")));
        Assert.Equal(("Access-Purpose", RefusalKind.Forbidden), Only(PartnerPolicies.Admit(Health, "ministry-of-health", AccessPurposes.DataQuality, "Access-Purpose")));
        Assert.True(AccessPurposes.TryFind("health-care", out var healthCare));
        Assert.Null(PartnerPolicies.Admit(Health, "ministry-of-health", healthCare, "Access-Purpose"));
    }

    /// <summary>eKYC gives only the policy's fields; each field outside it is named.</summary>
    [Fact]
    public void Ekyc_refuses_each_field_outside_the_policy()
    {
        Assert.Null(PartnerPolicies.AdmitEkyc(Health, ["fullName", "alive"]));
        var refusal = PartnerPolicies.AdmitEkyc(Health, ["fullName", "religion", "permanentAddress"]);
        Assert.Equal(["religion", "permanentAddress"], refusal!.Errors.Select(error => error.Field));
        Assert.Equal(RefusalKind.Forbidden, refusal.Kind);
    }

    /// <summary>Verification needs the policy's leave; the core is always compared, any other detail only if it is a policy field.</summary>
    [Fact]
    public void Verification_needs_leave_and_compares_beyond_the_core_only_policy_fields()
    {
        Assert.Null(PartnerPolicies.AdmitVerification(Health, ["fullName", "birthDate", "sex"]));
        Assert.Equal(("hometown", RefusalKind.Forbidden), Only(PartnerPolicies.AdmitVerification(Health, ["fullName", "birthDate", "sex", "hometown"])));
        Assert.Equal(("partnerId", RefusalKind.Forbidden), Only(PartnerPolicies.AdmitVerification(Health with { MayVerify = false }, ["fullName", "birthDate", "sex"])));
    }

    private static (string Field, RefusalKind Kind) Only(Refusal? refusal) => (Assert.Single(refusal!.Errors).Field, refusal.Kind);
}
