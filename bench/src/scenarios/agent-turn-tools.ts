// The 20 tool definitions of S7's agent turn: the names, descriptions and JSON-schema `input_schema`s a coding
// agent such as Claude Code declares on every turn (abridged wording, the real shapes: required fields,
// enums, nested arrays of objects). Their bytes are part of what the gateway carries on each request.

type Schema = Record<string, unknown>;

interface ToolDefinition {
  name: string;
  description: string;
  input_schema: Schema;
}

const str = (description: string): Schema => ({ type: 'string', description });
const num = (description: string): Schema => ({ type: 'number', description });
const bool = (description: string): Schema => ({ type: 'boolean', description });

function object(properties: Record<string, Schema>, required: string[]): Schema {
  return { type: 'object', properties, required, additionalProperties: false, $schema: 'http://json-schema.org/draft-07/schema#' };
}

function tool(name: string, description: string, properties: Record<string, Schema>, required: string[]): ToolDefinition {
  return { name, description, input_schema: object(properties, required) };
}

const USAGE_NOTES = [
  'Use this tool when the task calls for it and the result is needed for the next step.',
  'Always prefer the specialised tools over shell commands for reading, searching and editing files.',
  'Paths must be absolute; relative paths are resolved against the working directory and may be refused.',
  'When several independent calls are needed, make them in the same message so they run in parallel.',
  'Results longer than the output limit are truncated; ask for a narrower range instead of repeating the call.',
  'Never use this tool to change files outside the project unless the user asked for it explicitly.',
];

/** A description of a few paragraphs, as the agents' are: the purpose, then usage notes. */
function describe(purpose: string, notes: number): string {
  const chosen = Array.from({ length: notes }, (_, i) => `- ${USAGE_NOTES[(purpose.length + i) % USAGE_NOTES.length] as string}`);
  return `${purpose}\n\nUsage notes:\n${chosen.join('\n')}`;
}

export const AGENT_TOOLS: readonly ToolDefinition[] = [
  tool('Task', describe('Launch a new agent to handle complex, multi-step tasks autonomously. Each agent type has its own tools and instructions.', 5), {
    description: str('A short (3-5 word) description of the task'),
    prompt: str('The task for the agent to perform'),
    subagent_type: str('The type of specialized agent to use for this task'),
  }, ['description', 'prompt', 'subagent_type']),
  tool('Bash', describe('Executes a given bash command in a persistent shell session with optional timeout, ensuring proper handling and security measures. Quote paths that contain spaces. Avoid find, grep, cat, head and tail: use Glob, Grep and Read.', 6), {
    command: str('The command to execute'),
    timeout: num('Optional timeout in milliseconds (max 600000)'),
    description: str('Clear, concise description of what this command does in 5-10 words, in active voice.'),
    run_in_background: bool('Set to true to run this command in the background. Use BashOutput to read the output later.'),
  }, ['command']),
  tool('Glob', describe('Fast file pattern matching tool that works with any codebase size. Supports glob patterns like "**/*.js" or "src/**/*.ts" and returns matching file paths sorted by modification time.', 4), {
    pattern: str('The glob pattern to match files against'),
    path: str('The directory to search in. If not specified, the current working directory will be used.'),
  }, ['pattern']),
  tool('Grep', describe('A powerful search tool built on ripgrep. Supports full regex syntax, filtering by glob or file type, and three output modes.', 6), {
    pattern: str('The regular expression pattern to search for in file contents'),
    path: str('File or directory to search in. Defaults to current working directory.'),
    glob: str('Glob pattern to filter files (e.g. "*.js", "*.{ts,tsx}")'),
    output_mode: { type: 'string', enum: ['content', 'files_with_matches', 'count'], description: 'Output mode; defaults to files_with_matches.' },
    '-B': num('Number of lines to show before each match'),
    '-A': num('Number of lines to show after each match'),
    '-C': num('Number of lines to show before and after each match'),
    '-n': bool('Show line numbers in output'),
    '-i': bool('Case insensitive search'),
    type: str('File type to search (rg --type), e.g. js, py, rust, go'),
    head_limit: num('Limit output to the first N lines or entries'),
    multiline: bool('Enable multiline mode where . matches newlines'),
  }, ['pattern']),
  tool('LS', describe('Lists files and directories in a given path. The path parameter must be an absolute path.', 3), {
    path: str('The absolute path to the directory to list'),
    ignore: { type: 'array', items: { type: 'string' }, description: 'List of glob patterns to ignore' },
  }, ['path']),
  tool('ExitPlanMode', describe('Use this tool when you are in plan mode and have finished presenting your plan and are ready to code.', 2), {
    plan: str('The plan you came up with, that you want to run by the user for approval. Supports markdown.'),
  }, ['plan']),
  tool('Read', describe('Reads a file from the local filesystem. By default it reads up to 2000 lines from the beginning; lines longer than 2000 characters are truncated. Results are returned with line numbers starting at 1.', 5), {
    file_path: str('The absolute path to the file to read'),
    offset: num('The line number to start reading from'),
    limit: num('The number of lines to read'),
  }, ['file_path']),
  tool('Edit', describe('Performs exact string replacements in files. The edit fails if old_string is not unique in the file; give more context or use replace_all.', 5), {
    file_path: str('The absolute path to the file to modify'),
    old_string: str('The text to replace'),
    new_string: str('The text to replace it with (must be different from old_string)'),
    replace_all: { type: 'boolean', default: false, description: 'Replace all occurences of old_string (default false)' },
  }, ['file_path', 'old_string', 'new_string']),
  tool('MultiEdit', describe('Makes multiple edits to a single file in one operation, applied in sequence; either all succeed or none are applied.', 4), {
    file_path: str('The absolute path to the file to modify'),
    edits: {
      type: 'array',
      minItems: 1,
      description: 'Array of edit operations to perform sequentially on the file',
      items: object({ old_string: str('The text to replace'), new_string: str('The text to replace it with'), replace_all: bool('Replace all occurences') }, ['old_string', 'new_string']),
    },
  }, ['file_path', 'edits']),
  tool('Write', describe('Writes a file to the local filesystem, overwriting the existing file if there is one. Read an existing file first.', 4), {
    file_path: str('The absolute path to the file to write (must be absolute, not relative)'),
    content: str('The content to write to the file'),
  }, ['file_path', 'content']),
  tool('NotebookEdit', describe('Completely replaces the contents of a specific cell in a Jupyter notebook (.ipynb file) with new source.', 3), {
    notebook_path: str('The absolute path to the Jupyter notebook file to edit'),
    cell_id: str('The ID of the cell to edit'),
    new_source: str('The new source for the cell'),
    cell_type: { type: 'string', enum: ['code', 'markdown'], description: 'The type of the cell' },
    edit_mode: { type: 'string', enum: ['replace', 'insert', 'delete'], description: 'The type of edit to make' },
  }, ['notebook_path', 'new_source']),
  tool('WebFetch', describe('Fetches content from a specified URL and processes it using an AI model: converts HTML to markdown and answers the prompt about it.', 4), {
    url: { type: 'string', format: 'uri', description: 'The URL to fetch content from' },
    prompt: str('The prompt to run on the fetched content'),
  }, ['url', 'prompt']),
  tool('TodoWrite', describe('Use this tool to create and manage a structured task list for your current coding session. It helps track progress and organize complex tasks.', 6), {
    todos: {
      type: 'array',
      description: 'The updated todo list',
      items: object(
        {
          content: { type: 'string', minLength: 1 },
          status: { type: 'string', enum: ['pending', 'in_progress', 'completed'] },
          activeForm: { type: 'string', minLength: 1 },
        },
        ['content', 'status', 'activeForm'],
      ),
    },
  }, ['todos']),
  tool('WebSearch', describe('Allows the agent to search the web and use the results to inform responses. Provides up-to-date information for current events and recent data.', 3), {
    query: { type: 'string', minLength: 2, description: 'The search query to use' },
    allowed_domains: { type: 'array', items: { type: 'string' }, description: 'Only include search results from these domains' },
    blocked_domains: { type: 'array', items: { type: 'string' }, description: 'Never include search results from these domains' },
  }, ['query']),
  tool('BashOutput', describe('Retrieves output from a running or completed background bash shell. Returns only new output since the last check.', 2), {
    bash_id: str('The ID of the background shell to retrieve output from'),
    filter: str('Optional regular expression to filter the output lines'),
  }, ['bash_id']),
  tool('KillShell', describe('Kills a running background bash shell by its ID.', 2), {
    shell_id: str('The ID of the background shell to kill'),
  }, ['shell_id']),
  tool('SlashCommand', describe('Execute a slash command within the main conversation. Only custom slash commands with descriptions are available.', 2), {
    command: str('The slash command to execute with its arguments, e.g. "/review-pr 123"'),
  }, ['command']),
  tool('AskUserQuestion', describe('Asks the user one to four multiple-choice questions when a decision needs their input.', 3), {
    questions: {
      type: 'array',
      minItems: 1,
      maxItems: 4,
      items: object(
        {
          question: str('The complete question to ask the user'),
          header: str('Very short label displayed as a chip (max 12 chars)'),
          multiSelect: bool('Whether several options may be chosen'),
          options: {
            type: 'array',
            minItems: 2,
            maxItems: 4,
            items: object({ label: str('The display text of this option'), description: str('What this option means') }, ['label', 'description']),
          },
        },
        ['question', 'header', 'options', 'multiSelect'],
      ),
    },
  }, ['questions']),
  tool('Skill', describe('Execute a skill within the main conversation. Skills provide specialised capabilities and domain knowledge.', 2), {
    command: str('The skill name (no arguments), e.g. "pdf" or "xlsx"'),
  }, ['command']),
  tool('mcp__ide__getDiagnostics', describe('Get language diagnostics from the IDE for a file or for all open files.', 2), {
    uri: str('Optional file URI to get diagnostics for. If not provided, gets diagnostics for all files.'),
  }, []),
];
