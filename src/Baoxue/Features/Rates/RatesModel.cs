using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Rates;

/// <summary>What a set of prepared figures is.</summary>
public enum FigureSetKind
{
    /// <summary>The figures now: replaced by every recompute; dashboards for "today" read the newest one.</summary>
    Current = 1,
    /// <summary>Frozen at the turn of a month by the scheduled job (one per month).</summary>
    Monthly = 2,
    /// <summary>Frozen when someone asked (a report being filed, a check).</summary>
    OnDemand = 3,
}

/// <summary>
/// A set of prepared figures (<see cref="FigureRow"/>) taken at one moment: the current set, or a frozen snapshot
/// (monthly or on demand) that past-date figures and filed reports read, so that they keep saying what they said
/// (decision 0027). A set covers the whole deployment; what a user reads of it is limited by the rows' paths.
/// </summary>
public sealed class FigureSet
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public FigureSetKind Kind { get; set; }
    /// <summary>The county date the figures describe (the day the set was taken).</summary>
    public DateOnly AsOf { get; set; }
    /// <summary>For monthly snapshots: the month they close, as yyyyMM (unique, so two servers cannot take it twice).</summary>
    public int? Month { get; set; }
    public DateTime TakenAt { get; set; }
    public required string TakenBy { get; set; }
    /// <summary>Why an on-demand snapshot was taken, as written.</summary>
    public string? Note { get; set; }
    /// <summary>False while rows are still being written: readers skip it.</summary>
    public bool IsComplete { get; set; }
    public int Rows { get; set; }
    public int Milliseconds { get; set; }
}

/// <summary>
/// One prepared count: how many (<see cref="Value"/>) of a measure, with its dimension values, under a place at any level
/// (province, city, county, township, school or village path). Dashboards read a few hundred of these, never the registry.
/// </summary>
public sealed class FigureRow : IScoped
{
    public Guid SetId { get; set; }
    /// <summary>The place's path ("35/3501/350123/350123100/").</summary>
    public required string Path { get; set; }
    /// <summary>The place's level: its path's segments (1 province … 5 school or village), so a place's children are one index range.</summary>
    public int Depth { get; set; }
    /// <summary>What is counted (<see cref="Measures"/>).</summary>
    public required string Measure { get; set; }
    /// <summary>The dimension values, "name=value" joined by "|" in a fixed order; "" for the total.</summary>
    public required string Dimension { get; set; }
    public long Value { get; set; }
}

/// <summary>A target for a rate in a jurisdiction (入学率 100 %, 巩固率 95/97/98 %); the nearest one up the path applies.</summary>
public sealed class RateTarget : IScoped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Path { get; set; }
    /// <summary>The rate's key (<see cref="RateRules"/>).</summary>
    public required string Rate { get; set; }
    /// <summary>Percent, 0–100, up to two decimals.</summary>
    public decimal Percent { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>The prepared-figure tables (migration M0016), kept here so that BaoxueDb grows by one line.</summary>
public static class RatesModel
{
    public const int DimensionLength = 600;

    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<FigureSet>(e =>
        {
            e.Property(x => x.TakenBy).HasMaxLength(256);
            e.Property(x => x.Note).HasMaxLength(200);
            e.HasIndex(x => new { x.Kind, x.TakenAt });
            e.HasIndex(x => x.Month).IsUnique();
        });
        builder.Entity<FigureRow>(e =>
        {
            e.HasKey(x => new { x.SetId, x.Path, x.Measure, x.Dimension });
            e.Property(x => x.Path).HasMaxLength(256);
            e.Property(x => x.Measure).HasMaxLength(32);
            e.Property(x => x.Dimension).HasMaxLength(DimensionLength);
            e.HasIndex(x => new { x.SetId, x.Depth, x.Path });
            e.HasOne<FigureSet>().WithMany().HasForeignKey(x => x.SetId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<RateTarget>(e =>
        {
            e.Property(x => x.Path).HasMaxLength(256);
            e.Property(x => x.Rate).HasMaxLength(32);
            e.Property(x => x.Percent).HasPrecision(5, 2);
            e.Property(x => x.UpdatedBy).HasMaxLength(256);
            e.HasIndex(x => new { x.Path, x.Rate }).IsUnique();
        });
    }
}
