import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { CartFieldsFragment } from '../gql/graphql';
import { data, mockClient } from '../test/fixtures';
import { renderPage } from '../test/render';
import { CartPage } from './CartPage';

const cart: CartFieldsFragment = {
  itemCount: 3,
  subtotal: { amount: 5997, currency: 'USD', formatted: '$59.97' },
  lines: [
    {
      quantity: 2,
      unitPrice: { formatted: '$19.99' },
      lineTotal: { formatted: '$39.98' },
      product: { id: 'prd_mug', name: 'Mug', stock: 10, imageUrl: '' },
    },
    {
      quantity: 1,
      unitPrice: { formatted: '$19.99' },
      lineTotal: { formatted: '$19.99' },
      product: { id: 'prd_cap', name: 'Cap', stock: 10, imageUrl: '' },
    },
  ],
};

const payload = { cart, errors: [] };

describe('CartPage', () => {
  it('shows the lines and the totals the server computed', async () => {
    const { client } = mockClient({ Cart: data({ cart }) });
    renderPage(<CartPage />, { client });
    const summary = await screen.findByLabelText('Cart totals');
    expect(summary).toHaveTextContent('Items3');
    expect(summary).toHaveTextContent('Subtotal$59.97');
    const lines = within(screen.getByRole('list', { name: 'Cart lines' })).getAllByRole('listitem');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toHaveTextContent('$39.98');
  });

  it('changes a quantity and removes a line through the API', async () => {
    const { client, spies } = mockClient({
      Cart: data({ cart }),
      UpdateCartLine: data({ updateCartLine: payload }),
      RemoveCartLine: data({ removeCartLine: payload }),
    });
    renderPage(<CartPage />, { client });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Increase quantity of Mug' }));
    await user.click(screen.getByRole('button', { name: 'Remove Cap' }));
    const calls = spies.executeMutation.mock.calls.map(([request]) => request.variables);
    expect(calls).toEqual([{ input: { productId: 'prd_mug', quantity: 3 } }, { input: { productId: 'prd_cap' } }]);
  });

  it('does not let a quantity go below one', async () => {
    const { client } = mockClient({ Cart: data({ cart }) });
    renderPage(<CartPage />, { client });
    expect(await screen.findByRole('button', { name: 'Decrease quantity of Cap' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Decrease quantity of Mug' })).toBeEnabled();
  });

  it('shows the typed error of a refused change', async () => {
    const { client } = mockClient({
      Cart: data({ cart }),
      UpdateCartLine: data({
        updateCartLine: { cart: null, errors: [{ code: 'OUT_OF_STOCK', message: 'Only 2 Mugs left', field: 'input.quantity' }] },
      }),
    });
    renderPage(<CartPage />, { client });
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Increase quantity of Mug' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Only 2 Mugs left');
  });

  it('says so when the cart is empty', async () => {
    const { client } = mockClient({ Cart: data({ cart: { ...cart, itemCount: 0, lines: [] } }) });
    renderPage(<CartPage />, { client });
    expect(await screen.findByText('Your cart is empty')).toBeInTheDocument();
  });
});
