using Registry.Contracts.Provinces;

namespace Registry.Domain.Tests.Provinces;

/// <summary>The province reference data shipped in the contracts.</summary>
public sealed class ProvinceCatalogTests
{
    /// <summary>63 units of 2024, merged into 34 units of 2025 that each keep one of the old codes.</summary>
    [Fact]
    public void There_are_63_units_merging_into_34()
    {
        Assert.Equal(63, ProvinceCatalog.All2024.Count);
        var merged = ProvinceCatalog.All2024.Select(unit => unit.MergedInto2025).Distinct().ToList();
        Assert.Equal(34, merged.Count);
        Assert.All(merged, code => Assert.True(ProvinceCatalog.IsKnown(code)));
    }

    /// <summary>Names are read as UTF-8 with their diacritics.</summary>
    [Fact]
    public void Names_keep_their_diacritics()
    {
        Assert.Equal("Hà Nội", ProvinceCatalog.Find("001")!.Name);
        Assert.Equal("Hồ Chí Minh", ProvinceCatalog.Find("079")!.Name);
    }
}
