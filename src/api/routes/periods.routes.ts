import { z } from '../../domain/validation.js';
import { defineRoute } from '../route.js';

const PeriodIdParams = z.object({ id: z.string().min(1).max(100).describe('A DHIS2 period id, e.g. 2024W5, 202401, 2024Q1, 2024April') }).strict();

const PeriodSchema = z
  .object({
    id: z.string().describe('The canonical DHIS2 period id'),
    type: z
      .string()
      .describe(
        'The DHIS2 period type: Daily, Weekly, WeeklyWednesday, WeeklyThursday, WeeklySaturday, WeeklySunday, BiWeekly, Monthly, BiMonthly, Quarterly, QuarterlyNov, SixMonthly, SixMonthlyApril, SixMonthlyNov, Yearly, FinancialApril, FinancialJuly, FinancialOct or FinancialNov',
      ),
    startDate: z.string().describe('First day (YYYY-MM-DD)'),
    endDate: z.string().describe('Last day, inclusive (YYYY-MM-DD)'),
  })
  .meta({ id: 'Period', description: 'A DHIS2 period (see docs/periods.md).' });

export const periodRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/periods/:id',
    operationId: 'getPeriod',
    summary: 'What a DHIS2 period id stands for: its type and its first and last day',
    tags: ['monitoring'],
    params: PeriodIdParams,
    responses: { 200: { description: 'The period; 400 INVALID_PERIOD names what is wrong with an id', content: { 'application/json': PeriodSchema } } },
    async handler({ params, services, actor }) {
      return services.periods.get(actor, params.id);
    },
  }),
];
