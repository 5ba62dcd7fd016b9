import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import { FieldProblem } from '@nrm/messaging';
import { INVALID_REQUEST } from './constraint-messages';
import { FieldCatalogue, LocalisedFieldProblem, localiseProblems } from './field-problems';
import { Language, languageOf } from './language';

export interface InvalidRequestBody {
  statusCode: number;
  error: string;
  message: string;
  errors: LocalisedFieldProblem[];
}

/** The 400 answer for invalid fields: every problem by path and rule, with a sentence in the caller's language. */
export function invalidRequestBody(
  problems: FieldProblem[],
  language: Language,
  catalogue: FieldCatalogue,
): InvalidRequestBody {
  return {
    statusCode: HttpStatus.BAD_REQUEST,
    error: 'Bad Request',
    message: INVALID_REQUEST[language],
    errors: localiseProblems(problems, language, catalogue),
  };
}

function isFieldProblems(body: unknown): body is { errors: FieldProblem[] } {
  const errors = (body as { errors?: unknown } | null)?.errors;
  return (
    Array.isArray(errors) &&
    errors.every(
      (error: unknown) =>
        typeof (error as FieldProblem).field === 'string' &&
        Array.isArray((error as FieldProblem).constraints),
    )
  );
}

/**
 * Localises every invalid-fields answer (the validation pipe's, and any
 * service's with the same `errors` shape) by `Accept-Language`: English by
 * default, Thai for `th` and `th-TH`.
 */
@Catch(BadRequestException)
export class LocalisedValidationFilter implements ExceptionFilter {
  constructor(private readonly catalogue: FieldCatalogue) {}

  catch(exception: BadRequestException, host: ArgumentsHost) {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const body = exception.getResponse();
    if (!isFieldProblems(body)) {
      response.status(exception.getStatus()).json(body);
      return;
    }
    const language = languageOf(request.headers['accept-language']);
    response
      .status(HttpStatus.BAD_REQUEST)
      .setHeader('Content-Language', language)
      .json(invalidRequestBody(body.errors, language, this.catalogue));
  }
}
