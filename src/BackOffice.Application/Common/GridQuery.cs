using System.Linq.Expressions;

namespace BackOffice.Application.Common;

/// <summary>How a column filter compares; text compares without regard to case.</summary>
public enum FilterMatch
{
    Contains,
    DoesNotContain,
    StartsWith,
    EndsWith,
    EqualTo,
    NotEqualTo,
}

/// <summary>One column's filter: its value is text for text columns, the enum value for enum columns.</summary>
public sealed record ColumnFilter<TColumn>(TColumn Column, FilterMatch Match, object Value)
    where TColumn : struct, Enum;

/// <summary>
/// One page of a list as a grid asks for it: which rows, in which order, filtered how. The query services run all of
/// it in the database, so a list never loads more than a page, whichever grid component shows it.
/// </summary>
public sealed record GridRequest<TColumn>(
    int Skip, int Take, TColumn? SortBy = null, bool Descending = false, IReadOnlyList<ColumnFilter<TColumn>>? Filters = null)
    where TColumn : struct, Enum
{
    internal int SafeSkip => GridPaging.Skip(Skip);

    internal int SafeTake => GridPaging.Take(Take);
}

/// <summary>Bounds of a page request, so no caller can ask the database for everything at once.</summary>
public static class GridPaging
{
    /// <summary>The most rows one request may ask for.</summary>
    public const int MaxTake = 200;

    internal static int Skip(int skip) => Math.Max(0, skip);

    internal static int Take(int take) => Math.Clamp(take, 1, MaxTake);
}

/// <summary>The rows of one page and how many there are in all (for the pager).</summary>
public sealed record GridPage<TRow>(IReadOnlyList<TRow> Rows, int Total);

/// <summary>Text filters as expressions EF translates to SQL (lower(...) LIKE / strpos), case-insensitive.</summary>
internal static class TextFilters
{
    public static Expression<Func<T, bool>> For<T>(Expression<Func<T, string?>> field, FilterMatch match, string value)
    {
        var lowered = value.ToLowerInvariant();
        Expression<Func<string?, bool>> test = match switch
        {
            FilterMatch.Contains => s => (s ?? "").ToLower().Contains(lowered),
            FilterMatch.DoesNotContain => s => !(s ?? "").ToLower().Contains(lowered),
            FilterMatch.StartsWith => s => (s ?? "").ToLower().StartsWith(lowered),
            FilterMatch.EndsWith => s => (s ?? "").ToLower().EndsWith(lowered),
            FilterMatch.EqualTo => s => (s ?? "").ToLower() == lowered,
            FilterMatch.NotEqualTo => s => (s ?? "").ToLower() != lowered,
            _ => throw new ArgumentOutOfRangeException(nameof(match), match, null),
        };
        var body = new Substitute(test.Parameters[0], field.Body).Visit(test.Body);
        return Expression.Lambda<Func<T, bool>>(body, field.Parameters);
    }

    /// <summary>"contains" as a LIKE pattern on lower-cased text, with the user's own % and _ taken literally (escape \).</summary>
    public static string? ContainsPattern(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? null
            : $"%{text.Trim().ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal)}%";

    private sealed class Substitute(ParameterExpression parameter, Expression replacement) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? replacement : base.VisitParameter(node);
    }
}
