namespace Registry.LoadTests.Scenarios;

/// <summary>
/// The population of each of the 63 provinces of 2024, in thousands, after the average population of 2023 in the General
/// Statistics Office's Statistical Yearbook of Viet Nam 2023 (published 2024), rounded to the thousand. The figures were
/// entered without the yearbook at hand: they give the real skew (Hà Nội and Hồ Chí Minh City ten to twenty times the
/// mountain provinces; about 100.3 million in all), which is what drawing where synthetic people live needs, but check
/// them against the yearbook before quoting any of them as a statistic.
/// </summary>
internal static class ProvincePopulation
{
    /// <summary>Thousands of inhabitants by province code of 2024.</summary>
    public static IReadOnlyDictionary<string, int> Thousands2023 { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["001"] = 8_587, ["002"] = 900, ["004"] = 548, ["006"] = 327, ["008"] = 806, ["010"] = 771, ["011"] = 640,
        ["012"] = 482, ["014"] = 1_300, ["015"] = 847, ["017"] = 875, ["019"] = 1_335, ["020"] = 802, ["022"] = 1_363,
        ["024"] = 1_922, ["025"] = 1_510, ["026"] = 1_211, ["027"] = 1_517, ["030"] = 1_956, ["031"] = 2_105, ["033"] = 1_300,
        ["034"] = 1_882, ["035"] = 886, ["036"] = 1_887, ["037"] = 1_011, ["038"] = 3_740, ["040"] = 3_442, ["042"] = 1_324,
        ["044"] = 916, ["045"] = 658, ["046"] = 1_167, ["048"] = 1_245, ["049"] = 1_526, ["051"] = 1_248, ["052"] = 1_505,
        ["054"] = 878, ["056"] = 1_253, ["058"] = 600, ["060"] = 1_258, ["062"] = 591, ["064"] = 1_590, ["066"] = 1_918,
        ["067"] = 682, ["068"] = 1_333, ["070"] = 1_045, ["072"] = 1_194, ["074"] = 2_763, ["075"] = 3_311, ["077"] = 1_188,
        ["079"] = 9_457, ["080"] = 1_734, ["082"] = 1_791, ["083"] = 1_298, ["084"] = 1_019, ["086"] = 1_029, ["087"] = 1_600,
        ["089"] = 1_906, ["091"] = 1_755, ["092"] = 1_259, ["093"] = 730, ["094"] = 1_199, ["095"] = 923, ["096"] = 1_208,
    };

    /// <summary>The five centrally governed cities, where most internal migrants go: Hà Nội, Hải Phòng, Đà Nẵng, Hồ Chí Minh City, Cần Thơ.</summary>
    public static IReadOnlyList<string> Cities { get; } = ["001", "031", "048", "079", "092"];

    /// <summary>
    /// <paramref name="people"/> shared out over the provinces in proportion to their population (largest remainder,
    /// so the shares add up exactly), only over <paramref name="provinces"/> when given.
    /// </summary>
    public static IReadOnlyList<(string Province, int People)> Share(int people, IEnumerable<string>? provinces = null)
    {
        var weights = (provinces ?? Thousands2023.Keys).Where(Thousands2023.ContainsKey).Distinct(StringComparer.Ordinal)
            .Select(code => (Code: code, Weight: (double)Thousands2023[code])).ToArray();
        var total = weights.Sum(static weight => weight.Weight);
        var exact = weights.Select(weight => (weight.Code, Exact: people * weight.Weight / total)).ToArray();
        var shares = exact.ToDictionary(static entry => entry.Code, static entry => (int)Math.Floor(entry.Exact), StringComparer.Ordinal);
        foreach (var entry in exact.OrderByDescending(static entry => entry.Exact - Math.Floor(entry.Exact)).Take(people - shares.Values.Sum()))
        {
            shares[entry.Code]++;
        }

        return [.. shares.OrderBy(static share => share.Key, StringComparer.Ordinal).Select(static share => (share.Key, share.Value))];
    }

    /// <summary>Draws a province of <paramref name="among"/> with a probability proportional to its population.</summary>
    public static string Draw(Random random, IReadOnlyList<string> among)
    {
        var total = among.Sum(code => Thousands2023.GetValueOrDefault(code, 1));
        var at = random.Next(total);
        foreach (var code in among)
        {
            at -= Thousands2023.GetValueOrDefault(code, 1);
            if (at < 0)
            {
                return code;
            }
        }

        return among[^1];
    }
}
