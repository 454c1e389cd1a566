using BackOffice.Application.Common;
using MudBlazor;

namespace BackOffice.Web.Components.Controls;

/// <summary>Turns what a MudBlazor data grid asks for (page, sort, column filters) into the query services' grid request.</summary>
public static class MudGridRequests
{
    /// <summary>
    /// Columns are matched by name: a <c>PropertyColumn</c> sorts and filters under its row property's name, named like
    /// the column enum value. A filter on another column, without a value, or with an operator that makes no sense for
    /// text and enum columns, is left out.
    /// </summary>
    public static GridRequest<TColumn> ToGridRequest<TRow, TColumn>(this GridState<TRow> state)
        where TColumn : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(state);
        var sort = state.SortDefinitions.OrderBy(s => s.Index).FirstOrDefault(s => Enum.TryParse<TColumn>(s.SortBy, out _));
        TColumn? sortBy = sort is null ? null : Enum.Parse<TColumn>(sort.SortBy);
        var filters = state.FilterDefinitions
            .Select(f => f.Value is { } value && value as string != ""
                && Enum.TryParse<TColumn>(f.Column?.PropertyName, out var column)
                && Match(f.Operator) is { } match
                    ? new ColumnFilter<TColumn>(column, match, value)
                    : null)
            .OfType<ColumnFilter<TColumn>>()
            .ToList();
        return new GridRequest<TColumn>(state.Page * state.PageSize, state.PageSize, sortBy, sort?.Descending ?? false, filters);
    }

    /// <summary>The rows of one page as the grid takes them.</summary>
    public static GridData<TRow> ToGridData<TRow>(this GridPage<TRow> page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new GridData<TRow> { Items = page.Rows, TotalItems = page.Total };
    }

    private static FilterMatch? Match(string? filterOperator) => filterOperator switch
    {
        FilterOperator.String.Contains => FilterMatch.Contains,
        FilterOperator.String.NotContains => FilterMatch.DoesNotContain,
        FilterOperator.String.StartsWith => FilterMatch.StartsWith,
        FilterOperator.String.EndsWith => FilterMatch.EndsWith,
        FilterOperator.String.Equal or FilterOperator.Enum.Is => FilterMatch.EqualTo,
        FilterOperator.String.NotEqual or FilterOperator.Enum.IsNot => FilterMatch.NotEqualTo,
        _ => null,
    };
}
