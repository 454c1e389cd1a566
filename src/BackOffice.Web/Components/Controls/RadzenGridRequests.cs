using BackOffice.Application.Common;
using Radzen;

namespace BackOffice.Web.Components.Controls;

/// <summary>Turns what a Radzen data grid asks for (page, sort, column filters) into the query services' grid request.</summary>
internal static class RadzenGridRequests
{
    /// <summary>
    /// Columns are matched by name (the grid's column Property is the row property, named like the column enum value);
    /// a filter on another column, or with an operator that makes no sense for text and enum columns, is left out.
    /// </summary>
    public static GridRequest<TColumn> ToGridRequest<TColumn>(this LoadDataArgs args, int pageSize)
        where TColumn : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(args);
        var sort = (args.Sorts ?? []).FirstOrDefault(s => s.SortOrder is not null && Enum.TryParse<TColumn>(s.Property, out _));
        TColumn? sortBy = sort is { Property: { } property } ? Enum.Parse<TColumn>(property) : null;
        var filters = (args.Filters ?? [])
            // Only filters the user actually set: an untouched column filter arrives without a value.
            .Select(f => f.FilterValue is { } value && value as string != "" && Enum.TryParse<TColumn>(f.Property, out var column)
                && Match(f.FilterOperator) is { } match
                    ? new ColumnFilter<TColumn>(column, match, value)
                    : null)
            .OfType<ColumnFilter<TColumn>>()
            .ToList();
        return new GridRequest<TColumn>(args.Skip ?? 0, args.Top ?? pageSize, sortBy, sort?.SortOrder == SortOrder.Descending, filters);
    }

    private static FilterMatch? Match(FilterOperator filterOperator) => filterOperator switch
    {
        FilterOperator.Contains => FilterMatch.Contains,
        FilterOperator.DoesNotContain => FilterMatch.DoesNotContain,
        FilterOperator.StartsWith => FilterMatch.StartsWith,
        FilterOperator.EndsWith => FilterMatch.EndsWith,
        FilterOperator.Equals => FilterMatch.EqualTo,
        FilterOperator.NotEquals => FilterMatch.NotEqualTo,
        _ => null,
    };
}
